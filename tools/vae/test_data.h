// Tiny dataset.h5 files for the VAE tests: synthetic mels (a few harmonic bands with a
// family-dependent decay), written with the dataset writer, so the tests need no audio.
#pragma once

#include <string>

#include "common/audio_settings.h"

namespace wae::vae {

struct TinyDatasetOptions {
  int train = 24, valid = 6, test = 6;  // examples per split
  int testPitch = 0, testInstrument = 0;  // then these many in test_pitch, test_instrument
  AudioSettings settings{};             // recorded in the file (the mels are always 80 x 128
                                        // of settings.nMels x settings.nFrames)
};

// Writes `path`. Examples cycle over 3 families ("bass", "brass", "flute") and 12 pitches.
void writeTinyDataset(const std::string& path, const TinyDatasetOptions& options = {});

}  // namespace wae::vae
