#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace verity::bench {

// Hostile inputs, each a complete workflow document.

/// A well-formed document padded with many realistic sections and step blocks to `bytes`.
std::string HugeDocument(size_t bytes, uint64_t seed);
/// "Billion laughs": `levels` anchors each referring `width` times to the previous one, in a step
/// block's params (width^levels scalars when fully expanded).
std::string AliasBombDocument(int levels = 9, int width = 9);
/// A step whose body is a flow sequence nested `depth` deep: [[[[...]]]].
std::string DeepNestingDocument(int depth = 10000);

}  // namespace verity::bench
