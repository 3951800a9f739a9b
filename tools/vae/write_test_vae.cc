// Writes an untrained (seeded) small model.pt and, as raw little-endian float32 files, an
// input batch and the C++ outputs of encode, decode and forward on it, for the Python check
// (python_load_check.py).
#include <torch/script.h>
#include <torch/torch.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>

#include "tools/vae/vae_model.h"

namespace {

void writeRaw(const std::string& path, const torch::Tensor& t) {
  const torch::Tensor c = t.to(torch::kFloat32).contiguous();
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(c.data_ptr<float>()), c.numel() * sizeof(float));
  if (!out.flush()) throw std::runtime_error(path + ": cannot write");
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir;
  CLI::App app{"Writes model.pt, input.f32 and the C++ outputs for the Python load check"};
  app.add_option("--dir", dir, "output folder")->required();
  CLI11_PARSE(app, argc, argv);
  try {
    torch::set_num_threads(1);
    torch::manual_seed(42);
    const wae::AudioSettings s;
    wae::vae::VaeConfig c;
    c.channels = 8;
    c.latentDim = 5;
    const torch::Tensor mean = torch::linspace(-6.0, -3.0, s.nMels);
    const torch::Tensor std = torch::linspace(1.0, 3.0, s.nMels);
    torch::jit::Module m = wae::vae::makeVaeModule(c, s, mean, std);
    wae::vae::setTrainingInfo(m, "mmd-imq", 100.0, "l1", 3);
    m.save(dir + "/model.pt");
    m.eval();
    const torch::Tensor mel = torch::rand({3, s.nMels, s.nFrames}).pow(4);
    const torch::Tensor z = torch::randn({2, c.latentDim});
    torch::NoGradGuard noGrad;
    auto enc = m.run_method("encode", mel).toTuple();
    writeRaw(dir + "/input.f32", mel);
    writeRaw(dir + "/z.f32", z);
    writeRaw(dir + "/mu.f32", enc->elements()[0].toTensor());
    writeRaw(dir + "/logvar.f32", enc->elements()[1].toTensor());
    writeRaw(dir + "/forward.f32", m.forward({mel}).toTensor());
    writeRaw(dir + "/decode.f32", m.run_method("decode", z).toTensor());
  } catch (const std::exception& e) {
    std::cerr << "write_test_vae: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
