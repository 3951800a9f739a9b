#include "pd/sampler_host.h"

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "bank/bank_reader.h"
#include "common/sha256.h"
#include "pd/live_plugin.h"
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
  std::snprintf(
      text, sizeof text, "grid %dx%dx%dx%d, %d samples at %d Hz%s, %s, %.1f MB", i.gridShape[0],
      i.gridShape[1], i.gridShape[2], i.gridShape[3], i.length, i.sampleRate,
      b.resampled() ? (" (resampled from " + std::to_string(b.sourceSampleRate()) + " Hz)").c_str()
                    : "",
      i.storage == bank::StorageType::kInt16 ? "int16" : "float32", b.memoryBytes() / 1048576.0);
  return text;
}

}  // namespace

SamplerHost::SamplerHost(int sampleRate, int maxVoices, std::string pluginDir,
                         BankReader readBank)
    : engine_(makeEngine(sampleRate, maxVoices)),
      maxVoices_(maxVoices),
      pluginDir_(std::move(pluginDir)),
      readBank_(readBank ? std::move(readBank)
                         : [](const std::string& path) { return bank::readBank(path); }) {
  loader_ = std::thread([this] { loaderLoop(); });
}

SamplerHost::~SamplerHost() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  loader_.join();
  live_.reset();  // detach the worker before the engine goes
}

void SamplerHost::open(const std::string& path) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.push_back(path);
  }
  wake_.notify_one();
}

void SamplerHost::reload() {
  std::string path = bankPath();
  if (!path.empty()) open(path);
}

void SamplerHost::setSampleRate(int sampleRate) {
  if (sampleRate == engine_->sampleRate()) return;
  std::string path, livePath;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    live_.reset();
    // The new engine keeps the object's settings: voice limit, live mode, interpolation.
    const int voiceLimit = engine_->voiceLimit();
    const runtime::LiveMode liveMode = engine_->liveMode();
    const runtime::Interpolation interpolation = engine_->interpolation();
    engine_ = makeEngine(sampleRate, maxVoices_);
    engine_->setVoiceLimit(voiceLimit);
    engine_->setLiveMode(liveMode);
    engine_->setInterpolation(interpolation);
    // An open queued or in flight is loaded at the new rate (the loader checks the rate
    // before installing) and is what the new engine gets; else the current bank again.
    if (requests_.empty() && !loadingBank_) path = bankPath_;
    livePath = liveRequest_ ? *liveRequest_ : livePath_;
    bankPath_.clear();
    livePath_.clear();
  }
  if (!path.empty()) open(path);
  if (!livePath.empty()) openLive(livePath);
}

void SamplerHost::openLive(const std::string& modelPath) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    liveRequest_ = modelPath;
  }
  wake_.notify_one();
}

bool SamplerHost::liveLoaded() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return live_ != nullptr;
}

std::string SamplerHost::livePath() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return livePath_;
}

std::vector<std::string> SamplerHost::takeLiveErrors() {
  std::lock_guard<std::mutex> lock(mutex_);
  return live_ ? live_->takeErrors() : std::vector<std::string>{};
}

bool SamplerHost::pollMessage(HostMessage& message) { return messages_.try_dequeue(message); }

std::string SamplerHost::bankPath() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return bankPath_;
}

bool SamplerHost::loading() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return busy_ || !requests_.empty();
}

void SamplerHost::loaderLoop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    if (!requests_.empty()) {
      // Only the newest open is loaded; the ones it replaced are answered here, oldest first.
      for (size_t i = 0; i + 1 < requests_.size(); ++i) {
        messages_.enqueue({HostMessage::Kind::kFailed, requests_[i],
                           "open " + requests_[i] + ": superseded by open " + requests_.back() +
                               ", sent before it was loaded"});
      }
      const std::string path = requests_.back();
      const int rate = engine_->sampleRate();
      requests_.clear();
      busy_ = true;
      loadingBank_ = true;
      lock.unlock();
      load(path, rate);
      lock.lock();
      busy_ = false;
      loadingBank_ = false;
      continue;
    }
    if (liveRequest_) {
      const std::string path = *liveRequest_;
      liveRequest_.reset();
      busy_ = true;
      lock.unlock();
      loadLive(path);
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
    // Resampling is slow, so it runs in parallel, but on all cores but one: Pd keeps playing
    // (its thread, and the live worker) while a bank loads. At least one thread.
    options.threads = std::max(1, int(std::thread::hardware_concurrency()) - 1);
    for (;;) {
      std::unique_ptr<runtime::PlaybackBank> bank =
          runtime::PlaybackBank::make(readBank_(path), options);
      const std::string text = describeLoad(*bank);
      const std::string modelSha256 = bank->info().modelSha256;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (engine_->sampleRate() == options.hostSampleRate) {
          engine_->installBank(std::move(bank));
          bankPath_ = path;
          bankModelSha256_ = modelSha256;
          messages_.enqueue({HostMessage::Kind::kLoaded, path, text});
          return;
        }
        // Pd's rate changed while the bank loaded (setSampleRate left this load to finish):
        // read and resample it again for the engine now playing, rather than drop it.
        options.hostSampleRate = engine_->sampleRate();
      }
      // `bank`, made for the old rate, is freed here, outside the lock.
    }
  } catch (const std::exception& e) {
    messages_.enqueue({HostMessage::Kind::kFailed, path, e.what()});
  }
}

void SamplerHost::loadLive(const std::string& path) {
  using Kind = HostMessage::Kind;
  try {
    std::unique_ptr<runtime::WaveformSource> source;
    {
      if (!liveLibrary_) {
        const std::string library = pluginDir_ + "/" + kLiveLibrary;
        liveLibrary_ = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!liveLibrary_)
          throw std::runtime_error("live mode is unavailable: cannot load " + library + ": " +
                                   dlerror());
      }
      auto create = reinterpret_cast<LiveCreateFn>(dlsym(liveLibrary_, kLiveCreateSymbol));
      if (!create)
        throw std::runtime_error(std::string("live mode is unavailable: ") + kLiveLibrary +
                                 " has no " + kLiveCreateSymbol);
      char error[1024] = "";
      source.reset(create(path.c_str(), error, sizeof error));
      if (!source) throw std::runtime_error(error);
    }
    const std::string sha256 = sha256FileHex(path);
    const int modelRate = source->sampleRate();
    std::lock_guard<std::mutex> lock(mutex_);
    live_.reset();
    live_ = std::make_unique<runtime::LiveWorker>(*engine_, std::move(source));
    livePath_ = path;
    std::string text = "model at " + std::to_string(modelRate) + " Hz";
    if (!bankModelSha256_.empty() && bankModelSha256_ != sha256)
      text +=
          "; it is not the model the bank was baked from (SHA-256 differs), so points "
          "outside the grid may not join the bank's sounds smoothly";
    messages_.enqueue({Kind::kLiveLoaded, path, text});
  } catch (const std::exception& e) {
    messages_.enqueue({Kind::kLiveFailed, path, e.what()});
  }
}

}  // namespace wae::pd
