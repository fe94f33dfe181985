#include "base/random.h"

#include <random>

namespace verity {

uint64_t Random::Below(uint64_t bound) {
  // Values below `threshold` would make the low residues more likely; 2^64 mod bound of them.
  const uint64_t threshold = (0 - bound) % bound;
  for (;;) {
    uint64_t x = Next();
    if (x >= threshold) return x % bound;
  }
}

uint64_t SeededRandom::Next() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

namespace {
uint64_t EntropySeed() {
  std::random_device device;
  return (static_cast<uint64_t>(device()) << 32) ^ device();
}
}  // namespace

SystemRandom::SystemRandom() : inner_(EntropySeed()) {}

}  // namespace verity
