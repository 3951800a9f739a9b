#include "pd/sampler_host.h"

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "bank/bank_reader.h"
#include "common/sha256.h"
#include "pd/live/live_plugin.h"
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
      text, sizeof text, "grid %dx%dx%dx%d, %d samples at %d Hz%s, %s%s, %.1f MB", i.gridShape[0],
      i.gridShape[1], i.gridShape[2], i.gridShape[3], i.length, i.sampleRate,
      b.resampled() ? (" (resampled from " + std::to_string(b.sourceSampleRate()) + " Hz)").c_str()
                    : "",
      i.storage == bank::StorageType::kInt16 ? "int16" : "float32",
      b.hasNoise() ? ", harmonic and noise parts" : "", b.memoryBytes() / 1048576.0);
  return text;
}

}  // namespace

SamplerHost::SamplerHost(int sampleRate, int maxVoices, std::string pluginDir, BankReader readBank,
                         LiveSourceMaker makeLiveSource)
    : engine_(makeEngine(sampleRate, maxVoices)),
      maxVoices_(maxVoices),
      pluginDir_(std::move(pluginDir)),
      readBank_(readBank ? std::move(readBank)
                         : [](const std::string& path) { return bank::readBank(path); }),
      makeLiveSource_(makeLiveSource ? std::move(makeLiveSource) : [this](const std::string& path) {
        return loadLivePlugin(path);
      }) {
  // The constructor runs on Pd's thread, which ends the process; banks are read on the
  // loader thread.
  bank::prepareHdf5OnExitingThread();
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
  destroy(retired_);
  HostMessage* message;
  while (messages_.pop(message)) delete message;
  std::string* error;
  while (liveErrors_.pop(error)) delete error;
}

void SamplerHost::post(HostMessage message) {
  auto* item = new HostMessage(std::move(message));
  while (!messages_.push(item)) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stop_) {  // the object is going: nobody will read it
        delete item;
        return;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));  // Pd polls every 20 ms
  }
}

void SamplerHost::destroy(std::vector<Retired>& retired) {
  for (Retired& r : retired) {
    r.live.reset();  // joins the worker: waits for a render in progress
    r.engine.reset();
  }
  retired.clear();
}

void SamplerHost::open(const std::string& path) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.push_back(path);
  }
  ++unansweredOpens_;
  wake_.notify_one();
}

void SamplerHost::reload() {
  if (!bankPath_.empty()) open(bankPath_);
}

void SamplerHost::setSampleRate(int sampleRate) {
  if (sampleRate == engine_->sampleRate()) return;
  // The new engine keeps the object's settings: voice limit, live mode, interpolation.
  std::unique_ptr<runtime::Engine> fresh = makeEngine(sampleRate, maxVoices_);
  fresh->setVoiceLimit(engine_->voiceLimit());
  fresh->setLiveMode(engine_->liveMode());
  fresh->setInterpolation(engine_->interpolation());
  fresh->setPitchAlignment(engine_->pitchAlignment());
  fresh->setScale(engine_->scale());
  {
    // The old worker and engine go to the loader: stopping the worker waits for its render.
    std::lock_guard<std::mutex> lock(mutex_);
    retired_.push_back({std::move(live_), std::move(engine_)});
    engine_ = std::move(fresh);
    ++generation_;
  }
  wake_.notify_one();
  const std::string bank = bankPath_, live = livePath_;
  bankPath_.clear();
  livePath_.clear();
  liveLoaded_ = false;
  // An unanswered open ends on the new engine (the loader installs on the engine current
  // when it finishes); else the current bank and model are loaded again at the new rate.
  if (unansweredOpens_ == 0 && !bank.empty()) open(bank);
  if (unansweredLiveOpens_ == 0 && !live.empty()) openLive(live);
}

void SamplerHost::openLive(const std::string& modelPath) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    liveRequests_.push_back(modelPath);
  }
  ++unansweredLiveOpens_;
  wake_.notify_one();
}

std::vector<std::string> SamplerHost::takeLiveErrors() {
  std::vector<std::string> errors;
  std::string* error;
  while (liveErrors_.pop(error)) {
    errors.push_back(std::move(*error));
    delete error;
  }
  return errors;
}

bool SamplerHost::pollMessage(HostMessage& message) {
  using Kind = HostMessage::Kind;
  HostMessage* item;
  while (messages_.pop(item)) {
    message = std::move(*item);
    delete item;
    const bool loaded = message.kind == Kind::kLoaded || message.kind == Kind::kLiveLoaded;
    const bool live = message.kind == Kind::kLiveLoaded || message.kind == Kind::kLiveFailed;
    int& unanswered = live ? unansweredLiveOpens_ : unansweredOpens_;
    if (loaded && message.engine != generation_) {
      // It went to an engine Pd's rate replaced just after the loader's last look: load it
      // again for this one if it is the newest open, else a newer open supersedes it.
      if (unanswered == 1) {
        {
          std::lock_guard<std::mutex> lock(mutex_);
          (live ? liveRequests_ : requests_).push_back(message.path);
        }
        wake_.notify_one();
        continue;  // still unanswered
      }
      message.kind = live ? Kind::kLiveFailed : Kind::kFailed;
      message.text = (live ? "live " : "open ") + message.path +
                     ": superseded by a newer one (the sample rate changed as it loaded)";
    }
    switch (message.kind) {
      case Kind::kLoaded:
        bankPath_ = message.path;
        break;
      case Kind::kLiveLoaded:
        livePath_ = message.path;
        liveLoaded_ = true;
        break;
      default:
        break;
    }
    if (message.kind != Kind::kInfo) --unanswered;
    return true;
  }
  return false;
}

void SamplerHost::loaderLoop() {
  using Kind = HostMessage::Kind;
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    if (!retired_.empty()) {
      std::vector<Retired> retired;
      retired.swap(retired_);
      lock.unlock();
      destroy(retired);
      lock.lock();
      continue;
    }
    if (!requests_.empty() || !liveRequests_.empty()) {
      const bool live = requests_.empty();
      std::vector<std::string>& waiting = live ? liveRequests_ : requests_;
      std::vector<std::string> taken;
      taken.swap(waiting);
      const int rate = engine_->sampleRate();
      lock.unlock();
      // Only the newest is loaded; the ones it replaced are answered here, oldest first.
      const std::string path = taken.back();
      for (size_t i = 0; i + 1 < taken.size(); ++i) {
        const char* verb = live ? "live " : "open ";
        post({live ? Kind::kLiveFailed : Kind::kFailed, taken[i],
              verb + taken[i] + ": superseded by " + verb + path + ", sent before it was loaded"});
      }
      if (live) {
        loadLive(path);
      } else {
        load(path, rate);
      }
      lock.lock();
      continue;
    }
    // Outside the lock: it frees banks. The engine stays alive meanwhile, since only this
    // thread frees retired engines.
    runtime::Engine* engine = engine_.get();
    lock.unlock();
    engine->collectGarbage();
    lock.lock();
    if (stop_ || !retired_.empty() || !requests_.empty() || !liveRequests_.empty()) continue;
    wake_.wait_for(lock, kGarbageInterval);
  }
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
      int generation = -1;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (engine_->sampleRate() == options.hostSampleRate) {
          engine_->installBank(std::move(bank));
          generation = generation_;
        }
      }
      if (generation >= 0) {
        bankModelSha256_ = modelSha256;
        post({HostMessage::Kind::kLoaded, path, text, generation});
        return;
      }
      {
        std::lock_guard<std::mutex> lock(mutex_);
        // Pd's rate changed while the bank loaded (setSampleRate left this load to finish):
        // read and resample it again for the engine now playing, rather than drop it.
        options.hostSampleRate = engine_->sampleRate();
      }
      // `bank`, made for the old rate, is freed here, outside the lock.
    }
  } catch (const std::exception& e) {
    post({HostMessage::Kind::kFailed, path, e.what()});
  }
}

std::unique_ptr<runtime::WaveformSource> SamplerHost::loadLivePlugin(const std::string& path) {
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
  return source;
}

void SamplerHost::loadLive(const std::string& path) {
  using Kind = HostMessage::Kind;
  try {
    std::unique_ptr<runtime::WaveformSource> source = makeLiveSource_(path);
    const std::string sha256 = sha256FileHex(path);
    const int modelRate = source->sampleRate();
    int generation;
    for (;;) {
      // One worker at a time (the engine takes one; the error queue has one producer): the
      // current and any retired worker are stopped first, outside the lock, as stopping
      // waits for a render.
      std::unique_ptr<runtime::LiveWorker> old;
      std::vector<Retired> retired;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!live_ && retired_.empty()) {
          live_ = std::make_unique<runtime::LiveWorker>(
              *engine_, std::move(source), runtime::ResampleQuality::kMedium,
              [this](std::string error) {
                auto* item = new std::string(std::move(error));
                if (!liveErrors_.push(item)) delete item;  // 64 unread already say enough
              });
          generation = generation_;
          break;
        }
        old = std::move(live_);
        retired.swap(retired_);
      }
      old.reset();
      destroy(retired);
    }
    std::string text = "model at " + std::to_string(modelRate) + " Hz";
    if (!bankModelSha256_.empty() && bankModelSha256_ != sha256)
      text +=
          "; it is not the model the bank was baked from (SHA-256 differs), so points "
          "outside the grid may not join the bank's sounds smoothly";
    post({Kind::kLiveLoaded, path, text, generation});
  } catch (const std::exception& e) {
    post({Kind::kLiveFailed, path, e.what()});
  }
}

}  // namespace wae::pd
