#include "tools/audio/audio_io.h"

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>

#include "common/atomic_file.h"

namespace wae {

Audio readAudio(const std::string& path) {
  SF_INFO info{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
  if (!file) throw std::runtime_error(path + ": cannot read audio: " + sf_strerror(nullptr));
  Audio audio;
  audio.sampleRate = info.samplerate;
  std::vector<float> interleaved(static_cast<size_t>(info.frames) * info.channels);
  const sf_count_t got = sf_readf_float(file, interleaved.data(), info.frames);
  sf_close(file);
  if (got != info.frames)
    throw std::runtime_error(path + ": truncated audio: read " + std::to_string(got) + " of " +
                             std::to_string(info.frames) + " frames");
  audio.samples.resize(got);
  for (sf_count_t i = 0; i < got; ++i) {
    float sum = 0;
    for (int c = 0; c < info.channels; ++c) sum += interleaved[i * info.channels + c];
    audio.samples[i] = sum / info.channels;
  }
  return audio;
}

void writeWav(const std::string& path, const std::vector<float>& samples, int sampleRate,
              WavFormat format) {
  AtomicFile out(path);
  SF_INFO info{};
  info.samplerate = sampleRate;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | (format == WavFormat::kPcm16 ? SF_FORMAT_PCM_16 : SF_FORMAT_FLOAT);
  SNDFILE* file = sf_open(out.partialPath().c_str(), SFM_WRITE, &info);
  if (!file) throw std::runtime_error(path + ": cannot write audio: " + sf_strerror(nullptr));
  sf_count_t written = 0;
  if (format == WavFormat::kPcm16) {
    std::vector<int16_t> pcm(samples.size());
    std::transform(samples.begin(), samples.end(), pcm.begin(), [](float x) {
      const long q = std::lround(static_cast<double>(x) * 32768.0);
      return static_cast<int16_t>(std::clamp(q, -32768L, 32767L));
    });
    written = sf_write_short(file, pcm.data(), pcm.size());
  } else {
    written = sf_write_float(file, samples.data(), samples.size());
  }
  sf_close(file);
  if (written != static_cast<sf_count_t>(samples.size()))
    throw std::runtime_error(path + ": short write");
  out.commit();
}

}  // namespace wae
