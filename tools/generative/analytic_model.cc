#include "tools/generative/analytic_model.h"

#include <torch/script.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <type_traits>

#include "common/atomic_file.h"
#include "common/audio_settings.h"
#include "tools/generative/generative_schema.h"

namespace wae::generative {
namespace {

// TorchScript source of the analytic model; see the header for the formula. Dtype 7 is
// float64 (torch.float64 is not a value in C++-side define()).
constexpr char kSource[] = R"TS(
def forward(self, z: Tensor) -> Tensor:
    zd = z.double()
    lo = torch.tensor(self.axis_min, dtype=7)
    hi = torch.tensor(self.axis_max, dtype=7)
    u = (zd - lo) / (hi - lo)
    f = self.f_low_hz * torch.exp(self.f_log_ratio * 0.5 * (u[:, 0] + u[:, 1]))
    a = 0.2 + 0.6 * u[:, 2]
    h = u[:, 3]
    t = torch.arange(self.n_samples).double() / float(self.sample_rate)
    phase = (2.0 * 3.141592653589793) * f.unsqueeze(1) * t.unsqueeze(0)
    wave = a.unsqueeze(1) * ((1.0 - 0.5 * h).unsqueeze(1) * torch.sin(phase) + (0.5 * h).unsqueeze(1) * torch.sin(2.0 * phase))
    return wave.float()

def forward_full(self, z: Tensor) -> Tensor:
    return self.forward(z[:, 0:4])
)TS";

constexpr char kProjectSource[] = R"TS(
def project(self, mel: Tensor) -> Tensor:
    return mel[:, 0:4, :].mean(dim=2)
)TS";

// f0 and f0_full; FAULT is replaced by the expression returned (tests of the reader).
constexpr char kF0Source[] = R"TS(
def f0(self, z: Tensor) -> Tensor:
    zd = z.double()
    lo = torch.tensor(self.axis_min, dtype=7)
    hi = torch.tensor(self.axis_max, dtype=7)
    u = (zd - lo) / (hi - lo)
    f = self.f_low_hz * torch.exp(self.f_log_ratio * 0.5 * (u[:, 0] + u[:, 1]))
    return (FAULT).float()

def f0_full(self, z: Tensor) -> Tensor:
    return self.f0(z[:, 0:4])
)TS";

std::string f0Source(int fault) {
  const char* expr = fault == 1   ? "f.unsqueeze(1)"
                     : fault == 2 ? "-f"
                     : fault == 3 ? "f * float('nan')"
                                  : "f";
  std::string s = kF0Source;
  s.replace(s.find("FAULT"), 5, expr);
  return s;
}

}  // namespace

void writeAnalyticModel(const std::string& path, const AnalyticOptions& o) {
  torch::jit::Module m("AnalyticGenerative");
  auto omitted = [&](const std::string& name) {
    return std::find(o.omitAttributes.begin(), o.omitAttributes.end(), name) !=
           o.omitAttributes.end();
  };
  auto put = [&](const std::string& name, const c10::TypePtr& type, c10::IValue value) {
    if (!omitted(name)) m.register_attribute(name, type, std::move(value));
  };
  auto floats = [](const std::array<double, 4>& v) {
    return c10::List<double>(std::vector<double>(v.begin(), v.end()));
  };
  put(attr::kFormat, c10::StringType::get(), std::string(kFormatName));
  put(attr::kFormatVersion, c10::IntType::get(), int64_t{kFormatVersion});
  put(attr::kReducedDim, c10::IntType::get(), int64_t{o.recordedReducedDim});
  put(attr::kFullDim, c10::IntType::get(), int64_t{o.fullDim});
  put(attr::kAxisMin, c10::ListType::ofFloats(), floats(o.axisMin));
  put(attr::kAxisMax, c10::ListType::ofFloats(), floats(o.axisMax));

  AudioSettings s;
  s.sampleRate = o.sampleRate;
  s.hopLength = o.hopLength;
  s.nFrames = o.length / o.hopLength;
  s.nSamples = o.length;
  s.fMaxHz = o.sampleRate / 2.0;
  visitFields(static_cast<const AudioSettings&>(s), [&](const char* name, const auto& v) {
    using T = std::decay_t<decltype(v)>;
    if constexpr (std::is_same_v<T, int>)
      put(name, c10::IntType::get(), int64_t{v});
    else if constexpr (std::is_same_v<T, double>)
      put(name, c10::FloatType::get(), v);
    else
      put(name, c10::StringType::get(), v);
  });
  // The analytic forward's own constants (not part of the contract).
  m.register_attribute("f_low_hz", c10::FloatType::get(), o.fLowHz);
  m.register_attribute("f_log_ratio", c10::FloatType::get(), std::log(o.fHighHz / o.fLowHz));

  m.define(kSource);
  if (o.withProject) m.define(kProjectSource);
  if (o.withF0) m.define(f0Source(o.f0Fault));

  AtomicFile file(path);
  m.save(file.partialPath());
  file.commit();
}

float analyticF0(const std::array<float, 4>& z, const AnalyticOptions& o) {
  double u[2];
  for (int i = 0; i < 2; ++i) u[i] = (double(z[i]) - o.axisMin[i]) / (o.axisMax[i] - o.axisMin[i]);
  return static_cast<float>(o.fLowHz *
                            std::exp(std::log(o.fHighHz / o.fLowHz) * 0.5 * (u[0] + u[1])));
}

std::vector<float> analyticWave(const std::array<float, 4>& z, const AnalyticOptions& o) {
  double u[4];
  for (int i = 0; i < 4; ++i) u[i] = (double(z[i]) - o.axisMin[i]) / (o.axisMax[i] - o.axisMin[i]);
  const double f = o.fLowHz * std::exp(std::log(o.fHighHz / o.fLowHz) * 0.5 * (u[0] + u[1]));
  const double a = 0.2 + 0.6 * u[2];
  const double h = u[3];
  std::vector<float> wave(o.length);
  for (int t = 0; t < o.length; ++t) {
    const double phase = (2.0 * M_PI) * f * (double(t) / double(o.sampleRate));
    wave[t] = static_cast<float>(
        a * ((1.0 - 0.5 * h) * std::sin(phase) + (0.5 * h) * std::sin(2.0 * phase)));
  }
  return wave;
}

}  // namespace wae::generative
