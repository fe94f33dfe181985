// The hostile table's own instruments: a bound is only as good as its measurement.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>

#include "support/paths.h"
#include "support/process.h"

namespace verity::testing {
namespace {

ChildExit RunTrue(const TempDir& dir, bool measured) {
  ChildOptions options;
  options.argv = {"/bin/true"};
  options.stdout_path = dir.path() + "/out";
  options.stderr_path = dir.path() + "/err";
  if (measured) {
    options.measure = VERITY_MEASURE;
    options.measure_out = dir.path() + "/measure";
  }
  Child child(options);
  EXPECT_TRUE(child.started()) << child.error();
  return child.Wait(std::chrono::seconds(30));
}

TEST(HostileRunner, AMeasuredChildsPeakMemoryIsItsOwnNotTheTestProcesss) {
  // 256 MiB touched in this process: a child started straight from it reports at least that
  // much (exec keeps the parent's high-water mark); one started through the measurer does not.
  constexpr size_t kBig = 256u << 20;
  std::unique_ptr<char[]> big(new char[kBig]);
  std::memset(big.get(), 1, kBig);
  TempDir dir;
  ChildExit straight = RunTrue(dir, false);
  ChildExit measured = RunTrue(dir, true);
  ASSERT_TRUE(straight.exited && measured.exited);
  EXPECT_EQ(measured.code, 0);
  EXPECT_GE(straight.peak_rss_kb, static_cast<long>(kBig / 1024)) << "the kernel changed?";
  EXPECT_LT(measured.peak_rss_kb, 64 * 1024) << "/bin/true cannot need 64 MB";
  EXPECT_GT(measured.peak_rss_kb, 0);
  EXPECT_EQ(big[kBig - 1], 1);
}

}  // namespace
}  // namespace verity::testing
