// kink/wire/codec_util.h — the shared codec helpers (core/wire/codec_util.h)
// under the names kink/wire's codecs use (internal, not part of the API).
#pragma once

#include "core/wire/codec_util.h"

namespace kink::wire::detail {
using core::wire::checked_u16;
using core::wire::checked_u8;
using core::wire::padding_after;
using core::wire::patch_length16;
using core::wire::to_vec;
}  // namespace kink::wire::detail
