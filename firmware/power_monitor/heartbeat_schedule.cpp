#include "heartbeat_schedule.h"

#include "reply_parser.h"

uint32_t errorBackoffCapMs(uint32_t locationTimeoutS) {
  const uint64_t third = static_cast<uint64_t>(locationTimeoutS) * 1000 / 3;
  if (third < 5000) return 5000;
  if (third > 60000) return 60000;
  return static_cast<uint32_t>(third);
}

HeartbeatSchedule::HeartbeatSchedule(uint32_t configuredIntervalS, uint32_t locationTimeoutS,
                                     RandomSource random, void* randomContext)
    : configuredIntervalS_(clampIntervalS(configuredIntervalS)),
      intervalS_(configuredIntervalS_),
      errorBackoff_(kErrorBackoffBaseMs, errorBackoffCapMs(locationTimeoutS), random, randomContext),
      throttleBackoff_(kThrottleBackoffBaseMs, kThrottleBackoffCapMs, random, randomContext) {}

NextHeartbeat HeartbeatSchedule::afterAttempt(int httpStatus, const char* replyBody, const char* retryAfter) {
  throttled_ = httpStatus == 429;
  if (httpStatus >= 200 && httpStatus <= 299) {
    errorBackoff_.reset();
    throttleBackoff_.reset();
    // A reply without interval_s (204, or an older server) means "use your own".
    uint32_t suggested = 0;
    const bool hasSuggestion = replyBody != nullptr && parseSuggestedIntervalS(replyBody, &suggested);
    intervalS_ = hasSuggestion ? suggested : configuredIntervalS_;
    return NextHeartbeat{intervalS_ * 1000, LinkState::Ok};
  }
  if (httpStatus == 401) {
    return NextHeartbeat{kBadKeyRetryMs, LinkState::BadKey};
  }
  if (httpStatus == 429) {
    uint32_t delayMs = throttleBackoff_.nextDelayMs();
    uint32_t retryAfterS = 0;
    if (parseRetryAfterS(retryAfter, &retryAfterS)) {
      if (retryAfterS > kMaxRetryAfterS) retryAfterS = kMaxRetryAfterS;
      if (retryAfterS * 1000 > delayMs) delayMs = retryAfterS * 1000;
    }
    return NextHeartbeat{delayMs, LinkState::ServerUnreachable};
  }
  return NextHeartbeat{errorBackoff_.nextDelayMs(), LinkState::ServerUnreachable};
}
