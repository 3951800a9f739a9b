#include "tools/dataset/nsynth.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace wae::dataset {
namespace {

using nlohmann::json;

// Thrown for one bad entry; caught per entry and turned into a MalformedEntry.
struct EntryError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string describe(const json& v) {
  std::string dump = v.dump();
  if (dump.size() > 40) dump = dump.substr(0, 37) + "...";
  return dump + " (" + v.type_name() + ")";
}

const json& field(const json& entry, const char* name) {
  auto it = entry.find(name);
  if (it == entry.end()) throw EntryError(std::string("field \"") + name + "\": missing");
  return *it;
}

int integer(const json& entry, const char* name, int lo, int hi) {
  const json& v = field(entry, name);
  const std::string expected =
      "an integer in " + std::to_string(lo) + ".." + std::to_string(hi);
  if (!v.is_number_integer() || v.get<int64_t>() < lo || v.get<int64_t>() > hi)
    throw EntryError(std::string("field \"") + name + "\": found " + describe(v) +
                     ", expected " + expected);
  return v.get<int>();
}

std::string text(const json& entry, const char* name) {
  const json& v = field(entry, name);
  if (!v.is_string() || v.get<std::string>().empty())
    throw EntryError(std::string("field \"") + name + "\": found " + describe(v) +
                     ", expected a non-empty string");
  return v.get<std::string>();
}

NoteAnnotation parseEntry(const std::string& key, const json& entry) {
  if (!entry.is_object()) throw EntryError("found " + describe(entry) + ", expected an object");
  NoteAnnotation n;
  n.noteStr = text(entry, "note_str");
  if (n.noteStr != key)
    throw EntryError("field \"note_str\": found \"" + n.noteStr + "\", expected the key \"" +
                     key + "\"");
  n.pitch = integer(entry, "pitch", 0, 127);
  n.velocity = integer(entry, "velocity", 1, 127);
  n.instrument = integer(entry, "instrument", 0, 1 << 30);
  n.instrumentStr = text(entry, "instrument_str");
  n.family = integer(entry, "instrument_family", 0, 10);
  n.familyStr = text(entry, "instrument_family_str");
  n.source = integer(entry, "instrument_source", 0, 2);
  n.sourceStr = text(entry, "instrument_source_str");
  n.sampleRate = integer(entry, "sample_rate", 1, 1 << 20);
  const json& q = field(entry, "qualities");
  if (!q.is_array() || q.size() != n.qualities.size())
    throw EntryError("field \"qualities\": found " + describe(q) + ", expected an array of 10");
  for (size_t i = 0; i < n.qualities.size(); ++i) {
    if (!q[i].is_number_integer() || (q[i] != 0 && q[i] != 1))
      throw EntryError("field \"qualities\": found " + describe(q[i]) + " at index " +
                       std::to_string(i) + ", expected 0 or 1");
    n.qualities[i] = q[i].get<uint8_t>();
  }
  return n;
}

}  // namespace

ParsedExamples parseExamplesJson(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot open");
  json root;
  try {
    root = json::parse(in);
  } catch (const json::parse_error& e) {
    throw std::runtime_error(path + ": not valid JSON: " + e.what());
  }
  if (!root.is_object())
    throw std::runtime_error(path + ": found " + describe(root) +
                             ", expected an object keyed by note_str");
  ParsedExamples out;
  for (const auto& [key, entry] : root.items()) {
    try {
      out.notes.push_back(parseEntry(key, entry));
    } catch (const EntryError& e) {
      out.malformed.push_back({key, e.what()});
    }
  }
  return out;
}

}  // namespace wae::dataset
