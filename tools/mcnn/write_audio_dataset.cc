// Writes a tiny dataset.h5 with real audio (test_data.h) for shell tests and trials.
#include <CLI/CLI.hpp>
#include <iostream>

#include "tools/mcnn/test_data.h"

int main(int argc, char** argv) {
  wae::mcnn::AudioDatasetOptions o;
  std::string out;
  CLI::App app{"Writes a tiny dataset.h5 of synthetic harmonic notes with audio"};
  app.add_option("--out", out, "dataset.h5 to write")->required();
  app.add_option("--train", o.train)->capture_default_str();
  app.add_option("--valid", o.valid)->capture_default_str();
  app.add_option("--test", o.test)->capture_default_str();
  app.add_option("--sample-rate", o.settings.sampleRate, "recorded sample rate (f_max follows)")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  try {
    o.settings.fMaxHz = o.settings.sampleRate / 2.0;
    wae::mcnn::writeAudioDataset(out, o);
  } catch (const std::exception& e) {
    std::cerr << "write_audio_dataset: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
