#include "tools/dataset/plain_folder.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <stdexcept>
#include <utility>

#include "tools/corpus/gm_families.h"

namespace wae::dataset {
namespace {

namespace fs = std::filesystem;

constexpr double kPi = 3.14159265358979323846;

// The words of a relative path: runs of ASCII letters, lower-cased, the extension left out.
std::vector<std::string> words(const std::string& relativePath) {
  const fs::path p(relativePath);
  const std::string text = (p.parent_path() / p.stem()).generic_string();
  std::vector<std::string> out;
  std::string word;
  for (char c : text) {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!word.empty()) {
      out.push_back(word);
      word.clear();
    }
  }
  if (!word.empty()) out.push_back(word);
  return out;
}

// Words that name a family without being its name: instruments and the usual folder names
// of sample libraries (plain_folder.h). Matched like the names, plurals included.
constexpr std::pair<const char*, const char*> kFamilySynonyms[] = {
    {"keys", "keyboard"},     {"piano", "keyboard"},       {"epiano", "keyboard"},
    {"rhodes", "keyboard"},   {"clavinet", "keyboard"},    {"harpsichord", "keyboard"},
    {"vox", "vocal"},         {"voice", "vocal"},          {"choir", "vocal"},
    {"sax", "reed"},          {"saxophone", "reed"},       {"clarinet", "reed"},
    {"oboe", "reed"},         {"bassoon", "reed"},         {"harmonica", "reed"},
    {"accordion", "reed"},    {"trumpet", "brass"},        {"trombone", "brass"},
    {"horn", "brass"},        {"tuba", "brass"},           {"cornet", "brass"},
    {"violin", "string"},     {"viola", "string"},         {"cello", "string"},
    {"fiddle", "string"},     {"harp", "string"},          {"piccolo", "flute"},
    {"recorder", "flute"},    {"ocarina", "flute"},        {"whistle", "flute"},
    {"gtr", "guitar"},        {"marimba", "mallet"},       {"xylophone", "mallet"},
    {"vibraphone", "mallet"}, {"vibes", "mallet"},         {"glockenspiel", "mallet"},
    {"bell", "mallet"},       {"celesta", "mallet"},       {"kalimba", "mallet"},
    {"lead", "synth_lead"},
};

bool namesWord(const std::string& word, const std::string& name) {
  return word == name || word == name + "s" || word == name + "es";
}

int familyOfWord(const std::string& word) {
  for (int f = 0; f < corpus::kNumFamilies; ++f) {
    std::string name = corpus::familyName(f);
    if (f == corpus::kSynthLead) name = "synth";
    if (namesWord(word, name)) return f;
  }
  for (const auto& [synonym, family] : kFamilySynonyms) {
    if (!namesWord(word, synonym)) continue;
    for (int f = 0; f < corpus::kNumFamilies; ++f)
      if (corpus::familyName(f) == family) return f;
  }
  return -1;
}

}  // namespace

std::vector<std::string> listAudioFiles(const std::string& dir,
                                        const std::vector<std::string>& exclude) {
  std::vector<fs::path> excluded;
  for (const auto& e : exclude) {
    std::error_code ec;
    const fs::path p = fs::weakly_canonical(fs::absolute(e), ec);
    if (!ec) excluded.push_back(p);
  }
  std::vector<std::string> files;
  try {
    const fs::path root(dir);
    for (auto it = fs::recursive_directory_iterator(
             root, fs::directory_options::follow_directory_symlink);
         it != fs::recursive_directory_iterator(); ++it) {
      const std::string name = it->path().filename().string();
      if (!name.empty() && name[0] == '.') {
        if (it->is_directory()) it.disable_recursion_pending();
        continue;
      }
      if (!it->is_regular_file()) continue;
      std::error_code ec;
      const fs::path canonical = fs::weakly_canonical(it->path(), ec);
      if (!ec && std::find(excluded.begin(), excluded.end(), canonical) != excluded.end())
        continue;
      files.push_back(it->path().lexically_relative(root).generic_string());
    }
  } catch (const fs::filesystem_error& e) {
    throw std::runtime_error(dir + ": cannot list the folder: " + e.code().message());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string instrumentOf(const std::string& relativePath, const std::string& rootName) {
  const std::string folder = fs::path(relativePath).parent_path().generic_string();
  return folder.empty() ? rootName : folder;
}

int familyOfPath(const std::string& relativePath) {
  const std::vector<std::string> w = words(relativePath);
  for (auto it = w.rbegin(); it != w.rend(); ++it) {
    const int f = familyOfWord(*it);
    if (f >= 0) return f;
  }
  return -1;
}

void fitToLength(std::vector<float>& wave, size_t length, int sampleRate) {
  if (wave.size() > length) wave.resize(length);
  const size_t fade = std::min(wave.size(), static_cast<size_t>(std::lround(kFadeSeconds * sampleRate)));
  const size_t first = wave.size() - fade;
  for (size_t k = 0; k < fade; ++k)
    wave[first + k] *= static_cast<float>((1.0 + std::cos(kPi * double(k + 1) / fade)) / 2.0);
  wave.resize(length, 0.0f);
}

double peakWindowDbfs(const std::vector<float>& wave, int sampleRate) {
  const size_t window = std::max<size_t>(1, std::lround(kLoudnessWindowSeconds * sampleRate));
  const size_t hop = std::max<size_t>(1, window / 2);
  double best = 0;
  for (size_t start = 0; start == 0 || start + window <= wave.size(); start += hop) {
    const size_t end = std::min(wave.size(), start + window);
    double sum = 0;
    for (size_t i = start; i < end; ++i) sum += double(wave[i]) * wave[i];
    if (end > start) best = std::max(best, sum / double(end - start));
    if (end == wave.size()) break;
  }
  return best > 0 ? 10 * std::log10(best) : -INFINITY;
}

int velocityFromDbfs(double dbfs) {
  if (!(dbfs > -60)) return 1;
  return static_cast<int>(std::clamp<long>(1 + std::lround(126 * (dbfs + 60) / 54), 1, 127));
}

}  // namespace wae::dataset
