#include "pd/sampler_host.h"

#include <chrono>
#include <cstdio>

#include "bank/bank_reader.h"
#include "runtime/playback_bank.h"

namespace wae::pd {
namespace {

// How often the loader thread frees what the audio side has finished with.
constexpr auto kGarbageInterval = std::chrono::milliseconds(100);

std::unique_ptr<runtime::Engine> makeEngine(int sampleRate, int maxVoices) {
  runtime::EngineSettings settings;
  settings.sampleRate = sampleRate;
  settings.maxVoices = maxVoices;
  return std::make_unique<runtime::Engine>(settings);
}

std::string describeLoad(const runtime::PlaybackBank& b) {
  const auto& i = b.info();
  char text[256];
  std::snprintf(text, sizeof text,
                "grid %dx%dx%dx%d, %d samples at %d Hz%s, %s, %.1f MB", i.gridShape[0],
                i.gridShape[1], i.gridShape[2], i.gridShape[3], i.length, i.sampleRate,
                b.resampled() ? (" (resampled from " + std::to_string(b.sourceSampleRate()) +
                                 " Hz)").c_str()
                              : "",
                i.storage == bank::StorageType::kInt16 ? "int16" : "float32",
                b.memoryBytes() / 1048576.0);
  return text;
}

}  // namespace

SamplerHost::SamplerHost(int sampleRate, int maxVoices)
    : engine_(makeEngine(sampleRate, maxVoices)), maxVoices_(maxVoices) {
  loader_ = std::thread([this] { loaderLoop(); });
}

SamplerHost::~SamplerHost() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  loader_.join();
}

void SamplerHost::open(const std::string& path) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    request_ = path;
    requestRate_ = engine_->sampleRate();
  }
  wake_.notify_one();
}

void SamplerHost::reload() {
  std::string path = bankPath();
  if (!path.empty()) open(path);
}

void SamplerHost::setSampleRate(int sampleRate) {
  if (sampleRate == engine_->sampleRate()) return;
  std::string path;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    engine_ = makeEngine(sampleRate, maxVoices_);
    path = request_ ? *request_ : bankPath_;
    bankPath_.clear();
  }
  if (!path.empty()) open(path);
}

bool SamplerHost::pollMessage(HostMessage& message) { return messages_.try_dequeue(message); }

std::string SamplerHost::bankPath() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return bankPath_;
}

bool SamplerHost::loading() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return busy_ || request_.has_value();
}

void SamplerHost::loaderLoop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    if (request_) {
      const std::string path = *request_;
      const int rate = requestRate_;
      request_.reset();
      busy_ = true;
      lock.unlock();
      load(path, rate);
      lock.lock();
      busy_ = false;
      continue;
    }
    engine_->collectGarbage();
    wake_.wait_for(lock, kGarbageInterval);
  }
  engine_->collectGarbage();
}

void SamplerHost::load(const std::string& path, int sampleRate) {
  try {
    runtime::PlaybackBank::Options options;
    options.hostSampleRate = sampleRate;
    std::unique_ptr<runtime::PlaybackBank> bank =
        runtime::PlaybackBank::make(bank::readBank(path), options);
    const std::string text = describeLoad(*bank);
    std::lock_guard<std::mutex> lock(mutex_);
    if (engine_->sampleRate() != sampleRate) return;  // the rate changed: a reload is queued
    engine_->installBank(std::move(bank));
    bankPath_ = path;
    messages_.enqueue({HostMessage::Kind::kLoaded, path, text});
  } catch (const std::exception& e) {
    messages_.enqueue({HostMessage::Kind::kFailed, path, e.what()});
  }
}

}  // namespace wae::pd
