// wae-sampler~: the Pd glue. A polyphonic one-shot sampler over a waveform bank: a list of
// 4 floats (a latent point, -1..1 per axis) plays the waveform interpolated from the 16 grid
// points around it, starting at the sample matching the message's logical time. The engine
// (runtime/) and the loader (pd/sampler_host.h) do the work; this file only talks to Pd.
// See wae-sampler~-help.pd and docs/EXTERNAL.md.
#include <dlfcn.h>
#include <m_pd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <new>
#include <string>

#include "pd/sampler_host.h"
#include "runtime/config.h"
#include "runtime/playback_bank.h"

namespace {

using wae::pd::HostMessage;
using wae::pd::SamplerHost;
using wae::runtime::Interpolation;
using wae::runtime::LiveMode;
using wae::runtime::TriggerStatus;

// The pool allocated at creation: voices beyond it need `-voices N` at creation.
constexpr int kMinPoolVoices = 256;
// How often the loader's messages are looked for, in ms of logical time.
constexpr double kPollIntervalMs = 20.0;

t_class* sampler_class = nullptr;

struct t_sampler {
  t_object x_obj;
  t_outlet* x_info;
  t_clock* x_poll;
  t_canvas* x_canvas;
  SamplerHost* x_host;
  double x_blockTime;  // logical time of the last perform: the next block starts there
  int x_blockSize;     // frames per perform; 0 before DSP has run
  bool x_warnedClamp;
  bool x_nearest;  // nearest grid point rather than the blend; kept across engine rebuilds
  bool x_align;    // pitch-aligned blending on banks with pitch (default); likewise kept
  uint16_t x_scale;  // pitch classes of the scale triggers are quantised to (0: none); likewise
};

// The folder this external was loaded from: live mode's plugin sits beside it.
std::string ownFolder() {
  Dl_info info;
  if (!dladdr(reinterpret_cast<void*>(&ownFolder), &info) || !info.dli_fname) return ".";
  const std::string path = info.dli_fname;
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

// Resolves a bank name like Pd's own files: relative to the patch, then Pd's search path.
std::string resolve(t_sampler* x, const char* name) {
  char dir[MAXPDSTRING];
  char* file = nullptr;
  const int fd = canvas_open(x->x_canvas, name, "", dir, &file, MAXPDSTRING, 1);
  if (fd < 0) return name;  // let the loader report it, naming what was asked for
  sys_close(fd);
  return std::string(dir) + "/" + file;
}

// The frame of the next block at which an event sent now starts, as vline~ places its
// events: messages between two DSP ticks fall in the block the second tick computes, in the
// sample whose span contains their logical time (measured from the previous tick).
// With DSP off (no perform for a block or more), an event starts the next block that runs.
int offsetNow(t_sampler* x) {
  constexpr double kEpsilonFrames = 1e-6;  // a time on a sample boundary stays on it
  const double frames = clock_gettimesince(x->x_blockTime) * x->x_host->sampleRate() / 1000.0;
  const int offset = std::max(0, int(std::floor(frames + kEpsilonFrames)));
  return offset < x->x_blockSize ? offset : 0;
}

void sampler_open(t_sampler* x, t_symbol* name) {
  if (!*name->s_name) {
    pd_error(x, "wae-sampler~: open: expected a bank file name");
    return;
  }
  x->x_host->open(resolve(x, name->s_name));
}

void sampler_reload(t_sampler* x) {
  if (x->x_host->bankPath().empty()) {
    pd_error(x, "wae-sampler~: reload: no bank loaded yet");
    return;
  }
  x->x_host->reload();
}

// The left inlet's list: x1 x2 x3 x4 [gain [transposition]].
void sampler_list(t_sampler* x, t_symbol*, int argc, t_atom* argv) {
  if (argc < 4 || argc > 6) {
    pd_error(x,
             "wae-sampler~: a trigger is 4 coordinates, then an optional gain and an optional "
             "transposition (4 to 6 floats); got %d",
             argc);
    return;
  }
  float values[6] = {0, 0, 0, 0, 1, 0};
  for (int i = 0; i < argc; ++i) {
    if (argv[i].a_type != A_FLOAT) {
      pd_error(x, "wae-sampler~: trigger: element %d is not a float", i + 1);
      return;
    }
    values[i] = atom_getfloat(argv + i);
  }
  const wae::runtime::Point point{values[0], values[1], values[2], values[3]};
  const TriggerStatus status =
      x->x_host->engine().trigger(point, values[4], values[5], offsetNow(x));
  if (!wae::runtime::accepted(status)) {
    pd_error(x, "wae-sampler~: trigger %g %g %g %g: %s", values[0], values[1], values[2], values[3],
             wae::runtime::describe(status));
  } else if (status == TriggerStatus::kQueuedClamped && !x->x_warnedClamp) {
    x->x_warnedClamp = true;
    post(
        "wae-sampler~: trigger %g %g %g %g %g %g clamped (coordinates to -1..1, gain to 0..1, "
        "transposition to +-%g); warned once",
        values[0], values[1], values[2], values[3], values[4], values[5],
        wae::runtime::config::kMaxTransposeSemitones);
  }
}

// note <midi> x1 x2 x3 x4 [gain]: the point's timbre at an absolute MIDI pitch (69 = 440 Hz,
// fractional allowed), transposed from the point's own pitch on a bank with pitch, else from
// MIDI 60 (Engine::triggerNote).
void sampler_note(t_sampler* x, t_symbol*, int argc, t_atom* argv) {
  if (argc < 5 || argc > 6) {
    pd_error(x,
             "wae-sampler~: note: expected a MIDI pitch, 4 coordinates and an optional gain "
             "(5 or 6 floats); got %d",
             argc);
    return;
  }
  float values[6] = {0, 0, 0, 0, 0, 1};
  for (int i = 0; i < argc; ++i) {
    if (argv[i].a_type != A_FLOAT) {
      pd_error(x, "wae-sampler~: note: element %d is not a float", i + 1);
      return;
    }
    values[i] = atom_getfloat(argv + i);
  }
  const wae::runtime::Point point{values[1], values[2], values[3], values[4]};
  const TriggerStatus status =
      x->x_host->engine().triggerNote(point, values[5], values[0], offsetNow(x));
  if (!wae::runtime::accepted(status)) {
    pd_error(x, "wae-sampler~: note %g %g %g %g %g: %s", values[0], values[1], values[2],
             values[3], values[4], wae::runtime::describe(status));
  }
}

void sampler_float(t_sampler* x, t_float) {
  pd_error(x, "wae-sampler~: a trigger is a list of 4 to 6 floats, not a single float");
}

void sampler_voices(t_sampler* x, t_floatarg n) {
  const int max = x->x_host->engine().maxVoices();
  if (n < 1 || n > max)
    pd_error(x, "wae-sampler~: voices: %g is outside 1..%d (create with -voices N for more)", n,
             max);
  x->x_host->engine().setVoiceLimit(int(n));
}

void applyInterpolation(t_sampler* x) {
  x->x_host->engine().setInterpolation(x->x_nearest ? Interpolation::kNearest
                                                    : Interpolation::kBlend);
  x->x_host->engine().setPitchAlignment(x->x_align);
  x->x_host->engine().setScale(x->x_scale);
}

// nearest 1 | nearest 0: play the nearest grid point's waveform alone, or the blend of the 16
// around the point (the default). Applies to triggers from now on.
void sampler_nearest(t_sampler* x, t_symbol*, int argc, t_atom* argv) {
  if (argc != 1 || argv[0].a_type != A_FLOAT ||
      (atom_getfloat(argv) != 0 && atom_getfloat(argv) != 1)) {
    pd_error(x,
             "wae-sampler~: nearest: expected 1 (the nearest grid point alone) or 0 (the "
             "blend of the 16 around the point)");
    return;
  }
  x->x_nearest = atom_getfloat(argv) == 1;
  applyInterpolation(x);
}

// align 1 | align 0: blend a bank with per-point pitch pitch-aligned (the default: a point
// between grid points of different pitch plays one pitch in between), or as a plain
// crossfade (for A/B). Applies to triggers from now on; a bank without pitch plays the same
// either way.
void sampler_align(t_sampler* x, t_symbol*, int argc, t_atom* argv) {
  if (argc != 1 || argv[0].a_type != A_FLOAT ||
      (atom_getfloat(argv) != 0 && atom_getfloat(argv) != 1)) {
    pd_error(x,
             "wae-sampler~: align: expected 1 (pitch-aligned blending, the default) or 0 (the "
             "plain blend)");
    return;
  }
  x->x_align = atom_getfloat(argv) == 1;
  applyInterpolation(x);
}

// scale <pitch classes> | scale: triggers at points with pitch play the nearest pitch of the
// scale (pitch classes 0..11, C = 0: `scale 0 2 4 5 7 9 11` is C major), their
// transposition included; `scale` alone turns it off (the default). Notes are left as
// asked. Applies to triggers from now on.
void sampler_scale(t_sampler* x, t_symbol*, int argc, t_atom* argv) {
  uint16_t classes = 0;
  for (int i = 0; i < argc; ++i) {
    const t_float c = atom_getfloat(argv + i);
    if (argv[i].a_type != A_FLOAT || c < 0 || c > 11 || c != t_float(int(c))) {
      pd_error(x,
               "wae-sampler~: scale: expected pitch classes 0..11 (C = 0, e.g. scale 0 2 4 5 7 "
               "9 11 for C major), or nothing to turn the scale off; argument %d is not one",
               i + 1);
      return;
    }
    classes = uint16_t(classes | (1u << int(c)));
  }
  x->x_scale = classes;
  applyInterpolation(x);
}

void sampler_stop(t_sampler* x) { x->x_host->engine().stopAll(offsetNow(x)); }

void outputList(t_sampler* x, const char* selector, std::initializer_list<t_float> values) {
  t_atom atoms[8];
  int n = 0;
  for (t_float v : values) {
    SETFLOAT(atoms + n, v);  // a macro: no side effects in its arguments
    ++n;
  }
  outlet_anything(x->x_info, gensym(selector), n, atoms);
}

void outputSymbol(t_sampler* x, const char* selector, const char* value) {
  t_atom atom;
  SETSYMBOL(&atom, gensym(value));
  outlet_anything(x->x_info, gensym(selector), 1, &atom);
}

const char* liveModeName(LiveMode mode) {
  switch (mode) {
    case LiveMode::kOff:
      return "off";
    case LiveMode::kOutsideGrid:
      return "outside";
    case LiveMode::kAlways:
      return "always";
  }
  return "?";
}

// info (or bang): the bank, the memory, the voices and the mode, on the right outlet and
// the console.
void sampler_info(t_sampler* x) {
  const wae::runtime::Engine& engine = x->x_host->engine();
  const wae::runtime::PlaybackBank* bank = x->x_host->bank();
  const wae::runtime::EngineStats stats = engine.stats();
  const std::string path = x->x_host->bankPath();
  outputSymbol(x, "bank", path.empty() ? "none" : path.c_str());
  if (bank) {
    const auto& i = bank->info();
    outputList(x, "grid",
               {t_float(i.gridShape[0]), t_float(i.gridShape[1]), t_float(i.gridShape[2]),
                t_float(i.gridShape[3])});
    outputList(x, "samplerate", {t_float(i.sampleRate), t_float(bank->sourceSampleRate())});
    outputList(x, "length", {t_float(i.length)});
    outputSymbol(x, "storage", i.storage == wae::bank::StorageType::kInt16 ? "int16" : "float32");
    outputList(x, "noise", {t_float(bank->hasNoise() ? 1 : 0)});
    outputList(x, "points", {t_float(bank->projections().points.size())});
  }
  const double memoryMb = engine.memoryBytes() / 1048576.0;
  outputList(x, "memory", {t_float(memoryMb)});
  outputList(x, "voices",
             {t_float(stats.playingVoices), t_float(stats.fadingVoices), t_float(stats.voiceLimit),
              t_float(stats.maxVoices)});
  const std::string livePath = x->x_host->livePath();
  t_atom live[2];
  SETSYMBOL(live, gensym(liveModeName(engine.liveMode())));
  SETSYMBOL(live + 1, gensym(livePath.empty() ? "none" : livePath.c_str()));
  outlet_anything(x->x_info, gensym("live"), 2, live);
  outputList(x, "loading", {t_float(x->x_host->loading())});
  const char* interpolation =
      engine.interpolation() == Interpolation::kNearest ? "nearest" : "blend";
  outputSymbol(x, "interpolation", interpolation);
  outputList(x, "align", {t_float(engine.pitchAlignment() ? 1 : 0)});
  {
    t_atom classes[12];
    int n = 0;
    for (int c = 0; c < 12; ++c)
      if (engine.scale() & (1u << c)) {
        SETFLOAT(classes + n, t_float(c));  // a macro: no side effects in its arguments
        ++n;
      }
    outlet_anything(x->x_info, gensym("scale"), n, classes);
  }
  post(
      "wae-sampler~: bank %s; %.1f MB; voices %d playing, %d fading, limit %d of %d; live %s; "
      "interpolation %s; align %d",
      path.empty() ? "none" : path.c_str(), memoryMb, stats.playingVoices, stats.fadingVoices,
      stats.voiceLimit, stats.maxVoices, liveModeName(engine.liveMode()), interpolation,
      engine.pitchAlignment() ? 1 : 0);
}

// points: the dataset's sounds the bank carries, for a patch to draw: `points <count>`, then
// `family <index> <name>` for each instrument family, then `point x1 x2 x3 x4 <family>` for
// each sound, in normalised coordinates.
void sampler_points(t_sampler* x) {
  const wae::runtime::PlaybackBank* bank = x->x_host->bank();
  if (!bank) {
    pd_error(x, "wae-sampler~: points: no bank loaded yet");
    return;
  }
  const auto& p = bank->projections();
  const auto& axes = bank->info().axes;
  outputList(x, "points", {t_float(p.points.size())});
  for (size_t f = 0; f < p.familyNames.size(); ++f) {
    t_atom atoms[2];
    SETFLOAT(atoms, t_float(f));
    SETSYMBOL(atoms + 1, gensym(p.familyNames[f].c_str()));
    outlet_anything(x->x_info, gensym("family"), 2, atoms);
  }
  for (size_t k = 0; k < p.points.size(); ++k) {
    t_atom atoms[5];
    for (int d = 0; d < 4; ++d) {
      const double lo = axes[d].front(), hi = axes[d].back();
      SETFLOAT(atoms + d, t_float(2 * (p.points[k][d] - lo) / (hi - lo) - 1));
    }
    SETFLOAT(atoms + 4, k < p.family.size() ? p.family[k] : -1);
    outlet_anything(x->x_info, gensym("point"), 5, atoms);
  }
}

// live <generative.pt> | off | outside | always
void sampler_live(t_sampler* x, t_symbol* arg) {
  const std::string what = arg->s_name;
  LiveMode mode;
  if (what == "off") {
    mode = LiveMode::kOff;
  } else if (what == "outside") {
    mode = LiveMode::kOutsideGrid;
  } else if (what == "always") {
    mode = LiveMode::kAlways;
  } else if (what.empty()) {
    pd_error(x, "wae-sampler~: live: expected a generative.pt file, or off, outside or always");
    return;
  } else {
    x->x_host->openLive(resolve(x, arg->s_name));  // the mode follows when it has loaded
    return;
  }
  if (mode != LiveMode::kOff && !x->x_host->liveLoaded()) {
    pd_error(x, "wae-sampler~: live %s: no live model loaded; send live <generative.pt> first",
             what.c_str());
    return;
  }
  x->x_host->engine().setLiveMode(mode);
}

void sampler_poll(t_sampler* x) {
  HostMessage m;
  while (x->x_host->pollMessage(m)) {
    if (m.kind == HostMessage::Kind::kLoaded) {
      x->x_host->engine().adoptInstalledBank();  // so info and points right after see it
      post("wae-sampler~: loaded %s (%s)", m.path.c_str(), m.text.c_str());
      outputSymbol(x, "loaded", m.path.c_str());
    } else if (m.kind == HostMessage::Kind::kFailed) {
      pd_error(x, "wae-sampler~: %s", m.text.c_str());
      outputSymbol(x, "failed", m.path.c_str());
    } else if (m.kind == HostMessage::Kind::kLiveLoaded) {
      if (x->x_host->engine().liveMode() == LiveMode::kOff)
        x->x_host->engine().setLiveMode(LiveMode::kOutsideGrid);
      post("wae-sampler~: live mode (%s) with %s (%s)",
           liveModeName(x->x_host->engine().liveMode()), m.path.c_str(), m.text.c_str());
      outputSymbol(x, "liveloaded", m.path.c_str());
    } else if (m.kind == HostMessage::Kind::kLiveFailed) {
      pd_error(x, "wae-sampler~: live: %s", m.text.c_str());
      outputSymbol(x, "livefailed", m.path.c_str());
    } else {
      post("wae-sampler~: %s", m.text.c_str());
    }
  }
  for (const std::string& error : x->x_host->takeLiveErrors())
    pd_error(x, "wae-sampler~: live: %s", error.c_str());
  clock_delay(x->x_poll, kPollIntervalMs);
}

t_int* sampler_perform(t_int* w) {
  t_sampler* x = reinterpret_cast<t_sampler*>(w[1]);
  t_sample* out = reinterpret_cast<t_sample*>(w[2]);
  const int n = static_cast<int>(w[3]);
  x->x_blockTime = clock_getlogicaltime();
  x->x_host->engine().process(out, n);
  return w + 4;
}

void sampler_dsp(t_sampler* x, t_signal** sp) {
  // May make a new engine, which keeps the voice limit, live mode and interpolation.
  x->x_host->setSampleRate(static_cast<int>(sp[0]->s_sr));
  x->x_blockTime = clock_getlogicaltime();
  x->x_blockSize = sp[0]->s_n;
  dsp_add(sampler_perform, 3, x, sp[0]->s_vec, static_cast<t_int>(sp[0]->s_n));
}

void* sampler_new(t_symbol*, int argc, t_atom* argv) {
  int voices = wae::runtime::config::kDefaultVoices;
  const char* bankName = nullptr;
  const char* liveName = nullptr;
  bool nearest = false;
  for (int i = 0; i < argc; ++i) {
    const t_symbol* s = atom_getsymbol(argv + i);
    if (argv[i].a_type == A_SYMBOL && !std::strcmp(s->s_name, "-voices") && i + 1 < argc &&
        argv[i + 1].a_type == A_FLOAT) {
      voices = int(atom_getfloat(argv + ++i));
    } else if (argv[i].a_type == A_SYMBOL && !std::strcmp(s->s_name, "-live") && i + 1 < argc) {
      liveName = atom_getsymbol(argv + ++i)->s_name;
    } else if (argv[i].a_type == A_SYMBOL && !std::strcmp(s->s_name, "-nearest")) {
      nearest = true;
    } else if (argv[i].a_type == A_SYMBOL && s->s_name[0] != '-' && !bankName) {
      bankName = s->s_name;
    } else {
      pd_error(nullptr,
               "wae-sampler~: unknown argument; usage: [wae-sampler~ bank.h5 -voices N "
               "-live generative.pt -nearest]");
    }
  }
  if (voices < 1 || voices > wae::runtime::config::kMaxVoices) {
    pd_error(nullptr, "wae-sampler~: -voices %d is outside 1..%d; using %d", voices,
             wae::runtime::config::kMaxVoices, wae::runtime::config::kDefaultVoices);
    voices = wae::runtime::config::kDefaultVoices;
  }

  t_sampler* x = reinterpret_cast<t_sampler*>(pd_new(sampler_class));
  x->x_host = nullptr;
  x->x_poll = nullptr;
  x->x_canvas = canvas_getcurrent();
  x->x_blockTime = clock_getlogicaltime();
  x->x_blockSize = 0;
  x->x_warnedClamp = false;
  x->x_nearest = nearest;
  x->x_align = true;
  x->x_scale = 0;
  try {
    x->x_host = new SamplerHost(static_cast<int>(sys_getsr()), std::max(voices, kMinPoolVoices),
                                ownFolder());
  } catch (const std::exception& e) {
    pd_error(nullptr, "wae-sampler~: cannot start: %s", e.what());
    pd_free(&x->x_obj.ob_pd);
    return nullptr;
  }
  x->x_host->engine().setVoiceLimit(voices);
  applyInterpolation(x);
  outlet_new(&x->x_obj, &s_signal);
  x->x_info = outlet_new(&x->x_obj, nullptr);
  x->x_poll = clock_new(x, reinterpret_cast<t_method>(sampler_poll));
  clock_delay(x->x_poll, 0);
  if (bankName) x->x_host->open(resolve(x, bankName));
  if (liveName) x->x_host->openLive(resolve(x, liveName));
  return x;
}

void sampler_free(t_sampler* x) {
  if (x->x_poll) clock_free(x->x_poll);
  delete x->x_host;
}

}  // namespace

extern "C" {

// Pd's loader derives this name from "wae-sampler~": '-' becomes 0x2d, '~' becomes _tilde.
__attribute__((visibility("default"))) void setup_wae0x2dsampler_tilde() {
  // Pd calls each method with the arguments its A_ list declares; the casts go through
  // void (*)(), the generic function pointer type, as C's API expects.
  sampler_class = class_new(gensym("wae-sampler~"),
                            reinterpret_cast<t_newmethod>(reinterpret_cast<void (*)()>(sampler_new)),
                            reinterpret_cast<t_method>(sampler_free), sizeof(t_sampler),
                            CLASS_DEFAULT, A_GIMME, A_NULL);
  class_addmethod(sampler_class, reinterpret_cast<t_method>(sampler_dsp), gensym("dsp"), A_CANT,
                  A_NULL);
  class_addlist(sampler_class, reinterpret_cast<t_method>(sampler_list));
  class_addfloat(sampler_class, reinterpret_cast<t_method>(sampler_float));
  class_addbang(sampler_class, reinterpret_cast<t_method>(sampler_info));
  class_addmethod(sampler_class, reinterpret_cast<t_method>(sampler_info), gensym("info"), A_NULL);
  class_addmethod(sampler_class, reinterpret_cast<t_method>(sampler_points), gensym("points"),
                  A_NULL);
  class_addmethod(sampler_class, reinterpret_cast<t_method>(sampler_open), gensym("open"),
                  A_DEFSYMBOL, A_NULL);
  class_addmethod(sampler_class, reinterpret_cast<t_method>(sampler_reload), gensym("reload"),
                  A_NULL);
  class_addmethod(sampler_class, reinterpret_cast<t_method>(sampler_voices), gensym("voices"),
                  A_FLOAT, A_NULL);
  class_addmethod(sampler_class, reinterpret_cast<t_method>(sampler_stop), gensym("stop"), A_NULL);
  class_addmethod(sampler_class, reinterpret_cast<t_method>(sampler_nearest), gensym("nearest"),
                  A_GIMME, A_NULL);
  class_addmethod(sampler_class, reinterpret_cast<t_method>(sampler_align), gensym("align"),
                  A_GIMME, A_NULL);
  class_addmethod(sampler_class, reinterpret_cast<t_method>(sampler_scale), gensym("scale"),
                  A_GIMME, A_NULL);
  class_addmethod(sampler_class, reinterpret_cast<t_method>(sampler_note), gensym("note"),
                  A_GIMME, A_NULL);
  class_addmethod(sampler_class, reinterpret_cast<t_method>(sampler_live), gensym("live"),
                  A_DEFSYMBOL, A_NULL);
  class_sethelpsymbol(sampler_class, gensym("wae-sampler~"));
}

}  // extern "C"
