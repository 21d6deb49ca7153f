/*
 * bcryptprimitives.dll for Wine 8 (Debian 12), used only by tests/windows_wine.rs.
 *
 * Rust's standard library on Windows draws its random numbers (HashMap seeds, among others)
 * from bcryptprimitives.dll!ProcessPrng, which Windows 10 and later export. Wine 8.0, the
 * version Debian 12 ships, lacks that export, so every Rust program fails to load under it. This DLL exports ProcessPrng and answers it with SystemFunction036 (RtlGenRandom) from
 * advapi32, the generator Rust used before. The test builds it with mingw-w64 and puts it next
 * to lcsauth.exe, where Windows' loader looks first; released binaries never ship it.
 *
 *   x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll process_prng.c -ladvapi32
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
