#include "tools/generative/pitch_axis_test_model.h"

#include <torch/torch.h>

#include <sstream>

#include "common/audio_settings.h"
#include "tools/generative/make_generative.h"
#include "tools/vae/vae_model.h"

namespace wae::generative {

void writePitchAxisGenerative(const std::string& dataset, const std::string& inversion,
                              const std::string& vaePath, const std::string& out) {
  const AudioSettings s;
  vae::VaeConfig c;
  c.latentDim = 4;
  c.pitchAxis = true;
  c.channels = 4;
  torch::manual_seed(5);
  vae::makeVaeModule(c, s, torch::full({s.nMels}, -6.0), torch::full({s.nMels}, 2.0)).save(vaePath);
  MakeGenerativeOptions o;
  o.modelPath = vaePath;
  o.datasetPath = dataset;
  o.inversion = inversion;
  o.outPath = out;
  o.threads = 1;
  std::ostringstream log;
  makeGenerative(o, log);
}

}  // namespace wae::generative
