// The SSE2 path (any x86-64; on other architectures, the compiler's baseline).
#define GLASS_SUFFIX sse2
#define GLASS_GROUP 2
#define GLASS_GROUP_LANES 8
#include "kernel_body.h"
