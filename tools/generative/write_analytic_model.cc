// write_analytic_model --out generative.pt [--length N] [--sample-rate SR] [--project] [--f0]
//                      [--f-low-hz F] [--f-high-hz F] [--parts LEVEL [--fixed-hz F]]
//                      [--expected values.txt]
// --f0 also defines f0 and f0_full (then bake_bank writes a version 2 bank with pitch); left
// out by default so that the shell tests' banks stay as they were.
// --parts LEVEL adds a part at a fixed frequency (LEVEL times the amplitude, --fixed-hz, 3000
// Hz by default) and defines forward_parts, which gives it apart from the tone (with --f0:
// bake_bank then writes a version 3 bank, whose noise part is the fixed one).
// --expected also writes, for a few fixed points, the point and GenerativeModel's output as
// text: one line per point, "z1 z2 z3 z4 | s0 s1 ...", floats printed with 9 digits (exact).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>

#include "common/paths.h"
#include "tools/generative/analytic_model.h"
#include "tools/generative/generative_model.h"

int main(int argc, char** argv) {
  CLI::App app("Writes an analytic generative.pt (a test model with known outputs).");
  std::string out, expected;
  wae::generative::AnalyticOptions o;
  bool project = false, f0 = false;
  app.add_option("--out", out, "generative.pt to write")->required();
  app.add_option("--length", o.length, "samples per waveform (multiple of 256)");
  app.add_option("--sample-rate", o.sampleRate, "Hz");
  app.add_option("--f-low-hz", o.fLowHz, "pitch at the low end of axes 1 and 2");
  app.add_option("--f-high-hz", o.fHighHz, "pitch at the high end of axes 1 and 2");
  app.add_flag("--project", project, "also define project(mel)");
  app.add_flag("--f0", f0, "also define f0(z) and f0_full(z) (exact pitch)");
  app.add_option("--parts", o.fixedLevel,
                 "add a fixed-frequency part of this level and define forward_parts (with --f0)");
  app.add_option("--fixed-hz", o.fixedHz, "frequency of the fixed part")->capture_default_str();
  app.add_option("--expected", expected, "also write C++ outputs for a few points here");
  CLI11_PARSE(app, argc, argv);
  o.withProject = project;
  o.withF0 = f0;
  o.withParts = o.fixedLevel != 0;
  if (o.withParts && !f0) {
    std::fprintf(stderr, "write_analytic_model: --parts: needs --f0 (forward_parts gives f0)\n");
    return 1;
  }
  out = wae::resolveUserPath(out);
  if (!expected.empty()) expected = wae::resolveUserPath(expected);
  try {
    wae::generative::writeAnalyticModel(out, o);
    if (!expected.empty()) {
      const auto model = wae::GenerativeModel::load(out);
      const float points[][4] = {
          {0, 0, 0, 0}, {-2, -2, -2, -2}, {2, 2, 2, 2}, {0.5f, -1.25f, 1.75f, -0.3f}};
      std::ofstream os(expected);
      for (const auto& z : points) {
        const std::vector<float> wave = model.forward(z);
        char buf[32];
        for (float v : z) os << (std::snprintf(buf, sizeof buf, "%.9g ", v), buf);
        os << "|";
        for (float v : wave) os << (std::snprintf(buf, sizeof buf, " %.9g", v), buf);
        os << "\n";
      }
      if (!os) throw std::runtime_error("cannot write " + expected);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "write_analytic_model: %s\n", e.what());
    return 1;
  }
  return 0;
}
