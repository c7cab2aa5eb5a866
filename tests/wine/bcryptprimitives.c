/* For the Windows smoke test only, never shipped: Wine 8 lacks
 * bcryptprimitives.dll, whose ProcessPrng Rust's standard library imports
 * on Windows (Windows 10 and 11 have it). This stand-in answers with
 * RtlGenRandom. Built by `cargo xtask` with mingw and put beside guanxi.exe,
 * where Windows looks for DLLs first. */
#include <windows.h>

typedef BOOLEAN(WINAPI *RtlGenRandomFn)(PVOID, ULONG);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    static RtlGenRandomFn gen_random;
    if (!gen_random) {
        gen_random = (RtlGenRandomFn)GetProcAddress(LoadLibraryA("advapi32.dll"), "SystemFunction036");
        if (!gen_random) return FALSE;
    }
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!gen_random(data, chunk)) return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
