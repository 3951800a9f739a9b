// Everything wae-sampler~ does apart from talking to Pd: the engine, a loader thread that
// reads and resamples banks, and the messages for Pd's console. Kept free of Pd so that it
// is unit-tested on its own; pd/wae_sampler_tilde.cc is the thin glue.
//
// Threads:
//  * Pd's thread (messages, clocks, DSP setup and the perform routine): every public method.
//    engine() is used from perform; the rest never runs inside perform.
//  * The loader thread (owned here): reads a bank file, resamples it to the engine's rate,
//    hands it to the engine (Engine::installBank), loads live mode's model and starts its
//    worker, and frees what the audio side has finished with (Engine::collectGarbage). It
//    reports through a queue that pollMessage() drains, so nothing but Pd's thread calls
//    into Pd.
#pragma once

#include <readerwriterqueue/readerwriterqueue.h>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bank/bank_data.h"
#include "runtime/engine.h"
#include "runtime/live.h"

namespace wae::pd {

struct HostMessage {
  enum class Kind { kLoaded, kFailed, kLiveLoaded, kLiveFailed, kInfo } kind;
  std::string path;  // the bank or live model concerned
  std::string text;  // for the console
};


class SamplerHost {
 public:
  // Reads a bank file; called on the loader thread. bank::readBank unless a test injects one.
  using BankReader = std::function<bank::BankData(const std::string& path)>;

  // pluginDir: where wae-sampler-live.so is looked for (the external's own folder).
  SamplerHost(int sampleRate, int maxVoices, std::string pluginDir, BankReader readBank = {});
  ~SamplerHost();  // stops and joins the loader thread
  SamplerHost(const SamplerHost&) = delete;
  SamplerHost& operator=(const SamplerHost&) = delete;

  runtime::Engine& engine() { return *engine_; }
  int sampleRate() const { return engine_->sampleRate(); }

  // Loads `path` (already resolved) on the loader thread; the result arrives as a kLoaded or
  // kFailed message. While it loads, and if it fails, the previous bank keeps playing.
  // Every open gets exactly one reply: opens sent while another loads wait; when the loader
  // is free it loads the newest and answers the older waiting ones kFailed (superseded).
  // A bank that finishes loading after Pd's rate changed is resampled again at the new rate
  // before it is installed, so the reply (kLoaded) is for the bank as it plays.
  void open(const std::string& path);
  // Loads the current bank again (after the file changed on disk).
  void reload();

  // Pd's sample rate at DSP start: if it differs, a new engine is made (voices stop; the voice
  // limit, live mode and interpolation carry over) and the current bank is loaded again at
  // that rate (a kLoaded or kFailed message follows), unless an open is unanswered: the
  // newest open is then what the new engine gets. Never called from perform.
  void setSampleRate(int sampleRate);

  // Live mode: loads generative.pt through wae-sampler-live.so on the loader thread and
  // starts its worker (a kLiveLoaded or kLiveFailed message follows). The engine's LiveMode
  // says which points go to it.
  void openLive(const std::string& modelPath);
  bool liveLoaded() const;
  std::string livePath() const;
  // Render failures reported by the live worker since the last call.
  std::vector<std::string> takeLiveErrors();

  // Messages from the loader thread, oldest first; false when none is waiting.
  bool pollMessage(HostMessage& message);

  // The file of the bank new triggers play (empty before the first load succeeds), and the
  // bank itself (null before): Pd's thread is the engine's audio thread, so it may read it.
  std::string bankPath() const;
  const runtime::PlaybackBank* bank() const { return engine_->currentBank(); }
  bool loading() const;

 private:
  void loaderLoop();
  void load(const std::string& path, int sampleRate);
  void loadLive(const std::string& path);

  std::unique_ptr<runtime::Engine> engine_;
  int maxVoices_;

  mutable std::mutex mutex_;  // loader <-> Pd thread; never taken in perform
  std::condition_variable wake_;
  std::vector<std::string> requests_;  // opens waiting for the loader, oldest first
  bool busy_ = false;
  bool loadingBank_ = false;  // the loader is loading a bank (busy_ counts live loads too)
  bool stop_ = false;
  std::string bankPath_;  // of the last bank installed
  std::string bankModelSha256_;
  std::optional<std::string> liveRequest_;  // model path waiting for the loader
  std::string livePath_;
  std::string pluginDir_;
  BankReader readBank_;
  void* liveLibrary_ = nullptr;  // never closed: LibTorch does not support being unloaded
  std::unique_ptr<runtime::LiveWorker> live_;  // guarded by mutex_

  moodycamel::ReaderWriterQueue<HostMessage> messages_{16};
  std::thread loader_;
};

}  // namespace wae::pd
