// ikev2/wire/codec_util.h — the shared codec helpers (core/wire/codec_util.h)
// under the names ikev2/wire's codecs use (internal, not part of the API).
#pragma once

#include "core/wire/codec_util.h"

namespace ikev2::wire::detail {
using core::wire::checked_u16;
using core::wire::checked_u8;
using core::wire::padding_after;
using core::wire::patch_length16;
using core::wire::to_vec;
}  // namespace ikev2::wire::detail
