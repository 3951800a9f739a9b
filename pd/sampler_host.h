// Everything wae-sampler~ does apart from talking to Pd: the engine, a loader thread that
// reads and resamples banks, and the messages for Pd's console. Kept free of Pd so that it
// is unit-tested on its own; pd/wae_sampler_tilde.cc is the thin glue.
//
// Threads:
//  * Pd's thread (messages, clocks, DSP setup and the perform routine): every public method.
//    engine() is used from perform; the rest never runs inside perform. None of them waits
//    for the loader or a live render: pollMessage(), takeLiveErrors(), the state info reports
//    (bankPath(), livePath(), liveLoaded(), loading()) and triggers take no lock; open(),
//    openLive() and setSampleRate() take mutex_ for a few moves (the loader holds it only for
//    such moves, a bank's hand-over and a worker's start, never while it reads a file,
//    resamples, frees a bank or joins a worker).
//  * The loader thread (owned here): reads a bank file, resamples it to the engine's rate,
//    hands it to the engine (Engine::installBank), loads live mode's model and starts its
//    worker, stops and frees old workers and engines (a worker's stop waits for its render),
//    and frees what the audio side has finished with (Engine::collectGarbage). It reports
//    through a queue that pollMessage() drains, so nothing but Pd's thread calls into Pd.
//  * The live worker: renders; its errors reach Pd's thread through a queue of their own.
#pragma once

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
#include "runtime/spsc_queue.h"

namespace wae::pd {

struct HostMessage {
  enum class Kind { kLoaded, kFailed, kLiveLoaded, kLiveFailed, kInfo } kind;
  std::string path;  // the bank or live model concerned
  std::string text;  // for the console
  int engine = 0;    // kLoaded, kLiveLoaded: the engine (its generation) that got it
};

class SamplerHost {
 public:
  // Reads a bank file; called on the loader thread. bank::readBank unless a test injects one.
  using BankReader = std::function<bank::BankData(const std::string& path)>;

  // Makes live mode's source from a generative.pt path; called on the loader thread.
  // wae-sampler-live.so's unless a test injects one.
  using LiveSourceMaker =
      std::function<std::unique_ptr<runtime::WaveformSource>(const std::string& path)>;

  // pluginDir: where wae-sampler-live.so is looked for (the external's own folder).
  SamplerHost(int sampleRate, int maxVoices, std::string pluginDir, BankReader readBank = {},
              LiveSourceMaker makeLiveSource = {});
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
  // Like open(), every live open gets exactly one reply (older waiting ones: kLiveFailed).
  void openLive(const std::string& modelPath);
  bool liveLoaded() const { return liveLoaded_; }
  std::string livePath() const { return livePath_; }
  // Render failures reported by the live worker since the last call.
  std::vector<std::string> takeLiveErrors();

  // Messages from the loader thread, oldest first; false when none is waiting. Keeps the
  // state below (bankPath() etc.) up to date, so Pd's thread never asks the loader for it.
  bool pollMessage(HostMessage& message);

  // The file of the bank new triggers play (empty before the first load succeeds), and the
  // bank itself (null before): Pd's thread is the engine's audio thread, so it may read it.
  std::string bankPath() const { return bankPath_; }
  const runtime::PlaybackBank* bank() const { return engine_->currentBank(); }
  // Whether an open or live open is still unanswered.
  bool loading() const { return unansweredOpens_ > 0 || unansweredLiveOpens_ > 0; }

 private:
  // A worker and engine Pd's thread has let go of, for the loader to stop and free.
  struct Retired {
    std::unique_ptr<runtime::LiveWorker> live;
    std::unique_ptr<runtime::Engine> engine;
  };
  static void destroy(std::vector<Retired>& retired);  // workers before their engines

  void post(HostMessage message);  // loader: waits while Pd has 64 unread (none if stopping)
  void loaderLoop();
  void load(const std::string& path, int sampleRate);
  void loadLive(const std::string& path);
  std::unique_ptr<runtime::WaveformSource> loadLivePlugin(const std::string& path);

  // Written by Pd's thread under mutex_, read by the loader under it (Pd's thread, the only
  // writer, reads it without). Retired engines are freed by the loader only.
  std::unique_ptr<runtime::Engine> engine_;
  int generation_ = 0;  // of engine_: counts the engines made
  int maxVoices_;
  std::string pluginDir_;
  BankReader readBank_;
  LiveSourceMaker makeLiveSource_;

  // Pd's thread only, kept from the replies by pollMessage().
  std::string bankPath_;  // of the bank engine_ plays
  std::string livePath_;
  bool liveLoaded_ = false;
  int unansweredOpens_ = 0;
  int unansweredLiveOpens_ = 0;

  // Loader thread only.
  std::string bankModelSha256_;  // of the last bank installed
  void* liveLibrary_ = nullptr;  // never closed: LibTorch does not support being unloaded

  mutable std::mutex mutex_;  // loader <-> Pd thread, held for moves only; never in perform
  std::condition_variable wake_;
  std::vector<std::string> requests_;      // opens waiting for the loader, oldest first
  std::vector<std::string> liveRequests_;  // live opens waiting, oldest first
  bool stop_ = false;
  std::unique_ptr<runtime::LiveWorker> live_;  // attached to engine_
  std::vector<Retired> retired_;

  // Items are owned pointers: made by the producer, freed by Pd's thread.
  runtime::SpscQueue<HostMessage*> messages_{64};    // loader -> Pd
  runtime::SpscQueue<std::string*> liveErrors_{64};  // live worker -> Pd; full: dropped
  std::thread loader_;
};

}  // namespace wae::pd
