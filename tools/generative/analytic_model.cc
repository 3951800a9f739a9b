#include "tools/generative/analytic_model.h"

#include <torch/script.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <type_traits>

#include "common/atomic_file.h"
#include "common/audio_settings.h"
#include "tools/generative/analytic_f0_source.h"
#include "tools/generative/analytic_parts_source.h"
#include "tools/generative/analytic_project_source.h"
#include "tools/generative/analytic_source.h"
#include "tools/generative/generative_schema.h"

namespace wae::generative {

// kAnalyticSource, kAnalyticProjectSource, kAnalyticF0Source, kAnalyticPartsSource: the
// methods, in tools/generative/analytic_model.torchscript, analytic_project.torchscript,
// analytic_f0.torchscript and analytic_parts.torchscript, embedded at build time.
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
  m.register_attribute("fixed_hz", c10::FloatType::get(), o.fixedHz);
  m.register_attribute("fixed_level", c10::FloatType::get(), o.fixedLevel);

  m.define(kAnalyticSource);
  if (o.withProject) m.define(kAnalyticProjectSource);
  if (o.withF0) {
    m.register_attribute("f0_fault", c10::IntType::get(), int64_t{o.f0Fault});
    m.define(kAnalyticF0Source);
    if (o.withParts) m.define(kAnalyticPartsSource);
  }

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

namespace {

// The tone and the fixed part of one point in float64.
void analyticParts64(const std::array<float, 4>& z, const AnalyticOptions& o,
                     std::vector<double>& tone, std::vector<double>& fixed) {
  double u[4];
  for (int i = 0; i < 4; ++i) u[i] = (double(z[i]) - o.axisMin[i]) / (o.axisMax[i] - o.axisMin[i]);
  const double f = o.fLowHz * std::exp(std::log(o.fHighHz / o.fLowHz) * 0.5 * (u[0] + u[1]));
  const double a = 0.2 + 0.6 * u[2];
  const double h = u[3];
  tone.resize(size_t(o.length));
  fixed.resize(size_t(o.length));
  for (int t = 0; t < o.length; ++t) {
    const double seconds = double(t) / double(o.sampleRate);
    const double phase = (2.0 * M_PI) * f * seconds;
    tone[t] = a * ((1.0 - 0.5 * h) * std::sin(phase) + (0.5 * h) * std::sin(2.0 * phase));
    fixed[t] = (o.fixedLevel * a) * std::sin((2.0 * M_PI * o.fixedHz) * seconds);
  }
}

std::vector<float> toFloat(const std::vector<double>& x) { return {x.begin(), x.end()}; }

}  // namespace

std::vector<float> analyticWave(const std::array<float, 4>& z, const AnalyticOptions& o) {
  std::vector<double> tone, fixed;
  analyticParts64(z, o, tone, fixed);
  if (o.fixedLevel != 0)
    for (size_t t = 0; t < tone.size(); ++t) tone[t] += fixed[t];
  return toFloat(tone);
}

std::pair<std::vector<float>, std::vector<float>> analyticParts(const std::array<float, 4>& z,
                                                                const AnalyticOptions& o) {
  std::vector<double> tone, fixed;
  analyticParts64(z, o, tone, fixed);
  return {toFloat(tone), toFloat(fixed)};
}

}  // namespace wae::generative
