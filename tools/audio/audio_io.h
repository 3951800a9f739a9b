// Reading and writing sound files with libsndfile. No LibTorch.
#pragma once

#include <string>
#include <vector>

namespace wae {

struct Audio {
  std::vector<float> samples;  // mono
  int sampleRate = 0;
};

// Reads any format libsndfile knows (WAV, FLAC, AIFF, ...), mixing channels down to mono
// (their mean). Throws std::runtime_error naming the file and libsndfile's reason.
Audio readAudio(const std::string& path);

enum class WavFormat { kPcm16, kFloat32 };

// Writes a mono WAV atomically (temporary file, then rename). PCM16 stores
// round(x * 32768) clipped to [-32768, 32767]: the inverse of readAudio's (libsndfile's)
// q / 32768, so a PCM16 round trip is within 0.5 / 32768 (1 / 32768 for x near +1), and the
// same samples always give the same bytes. Float32 round-trips exactly.
void writeWav(const std::string& path, const std::vector<float>& samples, int sampleRate,
              WavFormat format = WavFormat::kPcm16);

}  // namespace wae
