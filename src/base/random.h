// The random seam: code that invents values (random_phone, random_string, …) asks a Random, so
// tests can fix the sequence. The algorithm is ours (splitmix64) rather than a std:: distribution,
// whose output differs between standard libraries: a seed gives the same values on every platform.
#pragma once

#include <cstdint>

namespace verity {

/// A source of random numbers. Not thread-safe: one per run or per thread.
class Random {
 public:
  virtual ~Random() = default;
  /// 64 uniformly distributed bits.
  virtual uint64_t Next() = 0;
  /// A uniform integer in [0, bound); `bound` must be positive. Unbiased (rejection sampling), so
  /// "7 random digits" are as likely to start with 9 as with 0.
  uint64_t Below(uint64_t bound);
};

/// A deterministic sequence (splitmix64): the same seed gives the same numbers everywhere.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed) {}
  uint64_t Next() override;

 private:
  uint64_t state_;
};

/// Seeded once from the operating system's entropy; for real runs, not for secrets.
class SystemRandom final : public Random {
 public:
  SystemRandom();
  uint64_t Next() override { return inner_.Next(); }

 private:
  SeededRandom inner_;
};

}  // namespace verity
