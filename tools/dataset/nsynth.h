// NSynth-style folders: `examples.json` (an object keyed by note_str, NSynth's fields) and
// `audio/<note_str>.wav`. Our render_corpus writes them; so does the real NSynth download.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace wae::dataset {

struct NoteAnnotation {
  std::string noteStr;
  int pitch = 0;     // MIDI 0..127
  int velocity = 0;  // MIDI 1..127
  int instrument = 0;
  std::string instrumentStr;
  int family = 0;  // NSynth instrument_family
  std::string familyStr;
  int source = 0;  // NSynth instrument_source
  std::string sourceStr;
  std::array<uint8_t, 10> qualities{};  // 0/1 in schema.h's kQualityLabels order
  int sampleRate = 0;                   // of the WAV, as annotated
  // Plain folders only (make_dataset estimates the pitch, docs/FORMATS.md): the estimated f0
  // in Hz (0: unpitched, then pitch is kUnpitchedMidi) and the estimator's confidence 0..1.
  // -1: not estimated (annotated notes); the dataset then has no /f0_hz.
  float f0Hz = -1.0f;
  float pitchConfidence = 0.0f;
};

struct MalformedEntry {
  std::string key;
  std::string reason;  // names the field, what was found and what was expected
};

struct ParsedExamples {
  std::vector<NoteAnnotation> notes;  // in key order
  std::vector<MalformedEntry> malformed;
};

// Parses examples.json. A file that is missing or is not a JSON object throws
// std::runtime_error naming it; a malformed entry is reported in `malformed` and skipped.
ParsedExamples parseExamplesJson(const std::string& path);

}  // namespace wae::dataset
