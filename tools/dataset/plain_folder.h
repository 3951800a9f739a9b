// Plain folders of sounds (no examples.json): which files make_dataset reads and the
// annotations it derives for each (docs/FORMATS.md, "Plain folders"). No LibTorch; pure
// functions except listAudioFiles (reads the folder). Any thread.
#pragma once

#include <string>
#include <vector>

#include "common/audio_settings.h"

namespace wae::dataset {

// What a plain folder's note gets when no family word is found (family -1, as a bank's
// projections store "no family") and its instrument_source, which a folder cannot tell.
inline constexpr char kUnknown[] = "unknown";
// The MIDI pitch stored for an unpitched note (its /f0_hz is 0): C4, the pitch the runtime
// assumes for a sound without pitch.
inline constexpr int kUnpitchedMidi = 60;

// The regular files under `dir` (recursively, following folder links), as paths relative to
// it with '/' separators, sorted bytewise. Leaves out hidden files and folders (a name
// starting with '.') and the files named in `exclude` (absolute or relative to the working
// folder: make_dataset's own output when it lies inside the input). Throws
// std::runtime_error naming `dir` if it cannot be listed.
std::vector<std::string> listAudioFiles(const std::string& dir,
                                        const std::vector<std::string>& exclude = {});

// The instrument of a file: its folder relative to the input ("strings/violin"), or
// `rootName` (the input folder's own name) for a file at the top.
std::string instrumentOf(const std::string& relativePath, const std::string& rootName);

// The NSynth family (0..10, tools/corpus/gm_families.h) a relative path names, or -1. The
// path is cut into words (runs of ASCII letters, lower-cased: "Synth_Lead-03.wav" gives
// synth, lead, wav; the extension is left out); the deepest word that names a family wins,
// so the file's own name beats its folders and a subfolder beats its parent. A word names a
// family when it is the family's name or its plural (+s, +es): bass, brass, flute, guitar,
// keyboard, mallet, organ, reed, string, vocal; "synth" (or "synths") names synth_lead; or
// a synonym (plurals too): keys, piano, epiano, rhodes, clavinet, harpsichord (keyboard);
// vox, voice, choir (vocal); sax, saxophone, clarinet, oboe, bassoon, harmonica, accordion
// (reed); trumpet, trombone, horn, tuba, cornet (brass); violin, viola, cello, fiddle, harp
// (string); piccolo, recorder, ocarina, whistle (flute); gtr (guitar); marimba, xylophone,
// vibraphone, vibes, glockenspiel, bell, celesta, kalimba (mallet); lead (synth_lead).
int familyOfPath(const std::string& relativePath);

// Cuts or pads `wave` to exactly `length` samples. The last kFadeSeconds of the sound that
// is kept (of the cut, or of the whole sound before padding) fade out with a half cosine
// (gain (1 + cos(pi * (k + 1) / F)) / 2 for k = 0..F-1 over its last F samples, F =
// round(kFadeSeconds * sampleRate), fewer for a sound shorter than F), so that neither a cut
// nor the file's own end clicks; the padding is silence.
inline constexpr double kFadeSeconds = 0.010;
void fitToLength(std::vector<float>& wave, size_t length, int sampleRate);

// The loudness velocity is derived from: the RMS in dBFS of the loudest 50 ms window
// (windows every 25 ms), so a note's attack, not its length or release, decides.
inline constexpr double kLoudnessWindowSeconds = 0.050;
double peakWindowDbfs(const std::vector<float>& wave, int sampleRate);

// MIDI velocity 1..127 from that loudness: linear in dB from -60 dBFS (velocity 1) to
// -6 dBFS (velocity 127), clamped: velocity = 1 + round(126 * (dB + 60) / 54).
int velocityFromDbfs(double dbfs);

}  // namespace wae::dataset
