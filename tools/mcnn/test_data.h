// Tiny dataset.h5 files with real audio for the inverter tests: decaying harmonic notes
// and their mels (tools/audio MelSpectrogram), written with the dataset writer. LibTorch.
#pragma once

#include <string>

#include "common/audio_settings.h"

namespace wae::mcnn {

struct AudioDatasetOptions {
  int train = 12, valid = 3, test = 3;  // examples per split
  int testPitch = 0, testInstrument = 0;  // then these many in test_pitch, test_instrument
  AudioSettings settings{};             // recorded in the file and used for the mels
};

// Writes `path`. Example i: fundamental 110 * 2^((i % 12) / 12) Hz, three harmonics, an
// exponential decay, amplitude 0.3..0.6; family cycles over "bass", "brass", "flute".
void writeAudioDataset(const std::string& path, const AudioDatasetOptions& options = {});

}  // namespace wae::mcnn
