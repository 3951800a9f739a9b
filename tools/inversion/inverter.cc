#include "tools/inversion/inverter.h"

#include <stdexcept>

#include "common/errors.h"
#include "tools/inversion/griffin_lim.h"
#include "tools/hpn/hpn_model.h"
#include "tools/hpn/hpn_schema.h"
#include "tools/mcnn/mcnn_model.h"
#include "tools/torchscript/attributes.h"

namespace wae::inversion {
namespace {

constexpr char kGriffinLimPrefix[] = "griffin-lim";

int parseIterations(const std::string& spec) {
  const std::string prefix = std::string(kGriffinLimPrefix) + ":";
  if (spec == kGriffinLimPrefix) return kDefaultGriffinLimIterations;
  const std::string digits = spec.substr(prefix.size());
  size_t used = 0;
  int n = -1;
  try {
    n = std::stoi(digits, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (digits.empty() || used != digits.size() || n < 1)
    throw std::invalid_argument("--inversion " + spec +
                                ": expected griffin-lim:N with N a positive iteration count, "
                                "or the path of an mcnn.pt or hpn.pt");
  return n;
}

// Whether the file is an hpn.pt (by its format attribute); anything else is tried as an
// mcnn.pt, whose loader names what is wrong.
bool isHpn(const std::string& spec) {
  const torch::jit::Module m = torchscript::loadModule(spec);
  return m.hasattr("format") && m.attr("format").isString() &&
         m.attr("format").toStringRef() == hpn::kFormatName;
}

// A trained inverter runs on any number of frames: every setting but the length must match.
void requireSettings(AudioSettings trained, const std::string& spec, const std::string& what,
                     const AudioSettings& expected, const std::string& expectedWhere) {
  trained.nFrames = expected.nFrames;
  trained.nSamples = expected.nSamples;
  const std::string diff = describeMismatch(expected, expectedWhere, trained, spec);
  if (!diff.empty())
    throw FormatError(spec + ": " + what + " was trained for other audio settings than " +
                      expectedWhere + ":\n" + diff);
}

}  // namespace

torch::jit::Module makeInverter(const std::string& spec, const AudioSettings& expected,
                                const std::string& expectedWhere, InverterInfo* info) {
  InverterInfo found;
  torch::jit::Module m;
  if (spec == kGriffinLimPrefix || spec.rfind(std::string(kGriffinLimPrefix) + ":", 0) == 0) {
    GriffinLimOptions o;
    o.iterations = parseIterations(spec);
    m = makeGriffinLimModule(expected, o);
    found.kind = "griffin-lim";
    found.description = "griffin-lim:" + std::to_string(o.iterations) + " (" + o.magnitude +
                        " magnitude, momentum " + std::to_string(o.momentum).substr(0, 4) + ")";
    found.settings = expected;
  } else if (isHpn(spec)) {
    hpn::HpnInfo hi;
    m = hpn::loadHpn(spec, &hi);
    requireSettings(hi.settings, spec, "the inverter", expected, expectedWhere);
    found.kind = "hpn";
    found.description = spec + " (harmonic-plus-noise, epoch " + std::to_string(hi.epoch) + ")";
    found.settings = expected;
  } else {
    mcnn::McnnInfo mi;
    m = mcnn::loadMcnn(spec, &mi);
    requireSettings(mi.settings, spec, "the MCNN", expected, expectedWhere);
    found.kind = "mcnn";
    found.description = spec + " (epoch " + std::to_string(mi.epoch) + ", " +
                        std::to_string(mi.config.heads) + " heads)";
    found.settings = expected;
  }
  m.eval();
  if (info) *info = found;
  return m;
}

}  // namespace wae::inversion
