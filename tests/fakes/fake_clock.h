// tests/fakes/fake_clock.h — the fake clock for engine and exchange tests.
//
// The simulated clock is part of core's interface (core/clock/simulated_time.h)
// so that the benchmark can drive it too; tests name it FakeClock:
//   testing::FakeClock time;           // a core::Clock and a core::Timers
//   Engine e(time, time, ...);
//   time.advance(std::chrono::seconds(5));
#pragma once

#include "core/clock/simulated_time.h"

namespace testing {

using FakeClock = core::SimulatedTime;

}  // namespace testing
