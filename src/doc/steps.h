// Step blocks: a fenced ```yaml block holding `steps:` is parsed with a real YAML parser into typed
// steps. Values keep their YAML types ("2026-01-05" stays a string, 1 stays a number), unknown keys
// are kept and reported, and wrong shapes are errors with the exact file position.
#pragma once

#include <vector>

#include "doc/diagnostic.h"
#include "doc/limits.h"
#include "doc/model.h"

namespace verity::doc {

/// True when a ```yaml block declares `steps:` at its top level (the mark of a runnable block).
bool IsStepBlock(const CodeBlock& block);

/// Parses one step block. `sink` maps block-relative lines to file lines. Its YAML nodes, steps and
/// placeholders are taken from `budget`; the first step past the step bound is a STEP_LIMIT error.
std::vector<Step> ParseStepBlock(const CodeBlock& block, int block_index, SectionKind kind,
                                 DiagnosticSink& sink, Budget& budget);

/// Every key a step may have, for "did you mean" and for docs.
const std::vector<std::string_view>& KnownStepKeys();

}  // namespace verity::doc
