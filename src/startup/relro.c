/* Read-only after relocation (RELRO) for the static-pie Linux build.
 *
 * The release binary for Linux is static-pie with musl (.ci/release.sh). Its start code
 * applies the relative relocations itself, but unlike a dynamic loader (glibc's, or musl's own)
 * it leaves the PT_GNU_RELRO segment writable afterwards: the vtables, function pointers and
 * other relocated constants would stay writable for the whole run. This constructor runs after
 * the relocations and before main and makes that segment read-only, as a glibc PIE with full
 * RELRO has it. build.rs links it into the binary for musl targets only.
 */
#include <elf.h>
#include <link.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

/* The linker defines it at the ELF header, the start of the first loaded segment. */
extern const ElfW(Ehdr) __ehdr_start;

__attribute__((constructor)) static void lcsauth_protect_relro(void) {
    const ElfW(Ehdr) *eh = &__ehdr_start;
    const ElfW(Phdr) *ph = (const ElfW(Phdr) *)((const char *)eh + eh->e_phoff);
    uintptr_t base = 0, page = (uintptr_t)sysconf(_SC_PAGESIZE);
    int have_base = 0;
    for (int i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0) {
            base = (uintptr_t)eh - ph[i].p_vaddr;
            have_base = 1;
        }
    }
    if (!have_base) return;
    for (int i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type != PT_GNU_RELRO) continue;
        /* Whole pages only, as the dynamic loaders do: the segment's last page may hold
         * writable data after it. */
        uintptr_t start = (base + ph[i].p_vaddr) & ~(page - 1);
        uintptr_t end = (base + ph[i].p_vaddr + ph[i].p_memsz) & ~(page - 1);
        if (end > start && mprotect((void *)start, end - start, PROT_READ) != 0) {
            static const char msg[] = "lcsauth: cannot make relocated data read-only\n";
            (void)!write(2, msg, sizeof msg - 1);
            _exit(1);
        }
    }
}
