// Writes a small generative.pt (an untrained seeded VAE, a tiny dataset, and an untrained
// MCNN or fast Griffin-Lim) and, as raw little-endian float32 files, inputs and the C++
// outputs of forward, forward_full and project, for the Python check
// (python_generative_check.py).
#include <torch/script.h>
#include <torch/torch.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>

#include "tools/dataset/mel_dataset.h"
#include "tools/generative/generative_model.h"
#include "tools/generative/make_generative.h"
#include "tools/hpn/hpn_model.h"
#include "tools/mcnn/mcnn_model.h"
#include "tools/mcnn/test_data.h"
#include "tools/vae/vae_model.h"

namespace {

void writeRaw(const std::string& path, const float* data, size_t count) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(data), count * sizeof(float));
  if (!out.flush()) throw std::runtime_error(path + ": cannot write");
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir, inversion = "mcnn";
  CLI::App app{"Writes a test generative.pt and the C++ outputs for the Python check"};
  app.add_option("--dir", dir, "output folder")->required();
  app.add_option("--inversion", inversion,
                 "mcnn (untrained, tiny), hpn (untrained, tiny, with a pitch-axis VAE) or "
                 "griffin-lim:N");
  CLI11_PARSE(app, argc, argv);
  try {
    torch::set_num_threads(1);
    const wae::AudioSettings s;
    wae::mcnn::AudioDatasetOptions d;
    d.train = 10;
    wae::mcnn::writeAudioDataset(dir + "/dataset.h5", d);
    torch::manual_seed(42);
    wae::vae::VaeConfig c;
    c.channels = 4;
    c.latentDim = 5;
    c.pitchAxis = inversion == "hpn";  // the demo's kind: notes at the pitch axis's f0
    wae::vae::makeVaeModule(c, s, torch::full({s.nMels}, -6.0), torch::full({s.nMels}, 2.0))
        .save(dir + "/model.pt");
    wae::generative::MakeGenerativeOptions o;
    o.modelPath = dir + "/model.pt";
    o.datasetPath = dir + "/dataset.h5";
    o.outPath = dir + "/generative.pt";
    o.threads = 1;
    o.inversion = inversion;
    if (inversion == "mcnn") {
      wae::mcnn::McnnConfig mc;
      mc.heads = 2;
      mc.widths = {8, 4, 4, 2, 2, 2, 2, 1};
      wae::mcnn::makeMcnnModule(mc, s, torch::full({s.nMels}, -6.0), torch::full({s.nMels}, 2.0))
          .save(dir + "/mcnn.pt");
      o.inversion = dir + "/mcnn.pt";
    } else if (inversion == "hpn") {
      wae::hpn::HpnConfig hc;
      hc.hidden = 8;
      hc.dilations = {1};
      wae::hpn::makeHpnModule(hc, s, torch::zeros({s.nMels}), torch::ones({s.nMels}))
          .save(dir + "/hpn.pt");
      o.inversion = dir + "/hpn.pt";
    }
    wae::generative::makeGenerative(o, std::cerr);

    const wae::GenerativeModel g = wae::GenerativeModel::load(o.outPath);
    const torch::Tensor z = torch::randn({2, 4}).contiguous();
    const torch::Tensor full = torch::randn({2, g.fullDim()}).contiguous();
    const wae::dataset::MelDataset test(o.datasetPath, {wae::dataset::Split::kTest, false, s});
    const torch::Tensor mel = test.mels().narrow(0, 0, 2).contiguous();
    std::vector<float> forward(2 * g.length()), forwardFull(2 * g.length()), project(2 * 4);
    g.forwardBatch(z.data_ptr<float>(), 2, forward.data());
    g.forwardFull(full.data_ptr<float>(), 2, forwardFull.data());
    g.project(mel.data_ptr<float>(), 2, project.data());
    writeRaw(dir + "/z.f32", z.data_ptr<float>(), z.numel());
    writeRaw(dir + "/full.f32", full.data_ptr<float>(), full.numel());
    writeRaw(dir + "/mel.f32", mel.data_ptr<float>(), mel.numel());
    writeRaw(dir + "/forward.f32", forward.data(), forward.size());
    writeRaw(dir + "/forward_full.f32", forwardFull.data(), forwardFull.size());
    writeRaw(dir + "/project.f32", project.data(), project.size());
    if (g.hasF0()) {  // f0(z), and forward_f0's f0 (its wave is forward's, checked in C++)
      const std::vector<float> f0 = g.f0(z.data_ptr<float>(), 2);
      writeRaw(dir + "/f0.f32", f0.data(), f0.size());
    }
  } catch (const std::exception& e) {
    std::cerr << "write_test_generative: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
