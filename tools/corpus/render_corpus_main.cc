// render_corpus: renders one-shot notes from a SoundFont into an NSynth-style folder.
//   bazel run //tools:render_corpus -- --out /tmp/corpus
// See docs/CORPUS.md for the options, the GM -> NSynth family mapping and measured figures.
#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <thread>

#include "tools/corpus/corpus_renderer.h"
#include "tools/corpus/gm_families.h"

namespace {

// `bazel run` starts the tool in its runfiles folder; relative paths are meant relative to
// where the user typed the command.
std::string userPath(const std::string& path) {
  const char* workingDir = std::getenv("BUILD_WORKING_DIRECTORY");
  if (path.empty() || !workingDir || std::filesystem::path(path).is_absolute()) return path;
  return (std::filesystem::path(workingDir) / path).string();
}

}  // namespace

int main(int argc, char** argv) {
  using wae::corpus::CorpusOptions;
  CorpusOptions options;
  options.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::string programs = "default";
  double lengthS = 0;
  bool printMapping = false;

  CLI::App app{
      "Renders one-shot notes from a SoundFont 2 file into an NSynth-style folder: "
      "<out>/audio/<note_str>.wav and <out>/examples.json."};
  app.add_option("--soundfont", options.soundFonts,
                 "SoundFont 2 files, comma-separated, rendered in one run with the same "
                 "programs (TimGM6mb and MuseScore General are refused: reserved for "
                 "independent evaluation)")
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--programs", programs,
                 "GM programs (0-127), comma-separated, or 'default' (35 programs over the 11 "
                 "NSynth families) or 'all' (0-119; sound effects only by number)")
      ->capture_default_str();
  app.add_option("--pitch-min", options.pitchMin, "lowest MIDI pitch")->capture_default_str();
  app.add_option("--pitch-max", options.pitchMax, "highest MIDI pitch")->capture_default_str();
  app.add_option("--pitch-step", options.pitchStep, "pitch step in semitones")
      ->capture_default_str();
  app.add_option("--velocities", options.velocities, "MIDI velocities, comma-separated")
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--hold-s", options.holdS, "seconds between note on and note off")
      ->capture_default_str();
  auto* lengthSamplesOption = app.add_option("--length-samples", options.lengthSamples,
                                             "samples per note, release included")
                                  ->capture_default_str();
  auto* lengthSOption =
      app.add_option("--length-s", lengthS, "seconds per note (instead of --length-samples)");
  lengthSamplesOption->excludes(lengthSOption);
  app.add_option("--sample-rate", options.sampleRate, "Hz")->capture_default_str();
  app.add_option("--gain", options.gain, "FluidSynth master gain (synth.gain)")
      ->capture_default_str();
  app.add_option("--silence-db", options.silenceDb,
                 "drop notes whose RMS over the clip is below this (dBFS)")
      ->capture_default_str();
  app.add_option("--out", options.outDir, "output folder (created if needed)");
  app.add_option("--threads", options.threads,
                 "worker threads, each with its own synths and loaded SoundFont; output is "
                 "identical for any count")
      ->capture_default_str();
  app.add_flag("--print-mapping", printMapping,
               "print the GM program -> NSynth family/source table (Markdown) and exit");
  CLI11_PARSE(app, argc, argv);

  if (printMapping) {
    std::cout << wae::corpus::mappingMarkdown();
    return 0;
  }
  try {
    options.programs = wae::corpus::parseProgramList(programs);
    if (*lengthSOption) {
      if (!(lengthS > 0)) throw std::invalid_argument("--length-s: expected a positive duration");
      options.lengthSamples = static_cast<int>(std::lround(lengthS * options.sampleRate));
    }
    for (std::string& path : options.soundFonts) path = userPath(path);
    options.outDir = userPath(options.outDir);
    options.validate();
    std::string soundFonts;
    for (const std::string& path : options.soundFonts)
      soundFonts += (soundFonts.empty() ? "" : ", ") + path;
    std::fprintf(stderr, "render_corpus: %d notes (%zu programs) from %s into %s\n",
                 options.numNotes(), options.programs.size(), soundFonts.c_str(),
                 options.outDir.c_str());
    const wae::corpus::CorpusSummary summary = wae::corpus::renderCorpus(options);
    std::fputs(summary.format().c_str(), stderr);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "render_corpus: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
