/*
 * tests/unit/host_names.h: forced (-include) into the library and monitor
 * sources when they are built for the host tests.  It gives rvlib's
 * string functions names of their own, so the code under test calls our
 * implementations while libc, the sanitizers and the harness keep theirs.
 */
#define memcpy rv_memcpy
#define memmove rv_memmove
#define memset rv_memset
#define memcmp rv_memcmp
#define strlen rv_strlen
#define strnlen rv_strnlen
#define strcmp rv_strcmp
#define strncmp rv_strncmp
#define strchr rv_strchr
#define strlcpy rv_strlcpy
