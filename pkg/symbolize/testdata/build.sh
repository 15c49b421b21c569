#!/bin/sh
# Builds the test programs and reports of pkg/symbolize/testdata from src/,
# run in a scratch folder holding src/ (the paths in the reports are that
# folder's; the debug information names /build/shop instead).
set -eu
SRCS="src/main.c src/cart.c src/fatal.c"
MAP="-fdebug-prefix-map=$PWD=/build/shop"
mkdir -p bin stripped debug reports ref

# AddressSanitizer, PIE (gcc's default): its report unsymbolized and
# symbolized, then split into a stripped binary and its debug file.
gcc -g -O2 $MAP -fsanitize=address -fno-omit-frame-pointer -o cart_asan $SRCS
ASAN_OPTIONS=symbolize=0 ./cart_asan >/dev/null 2>reports/asan.txt || true
./cart_asan >/dev/null 2>reports/asan_symbolized.txt || true
objcopy --only-keep-debug cart_asan debug/cart_asan.debug
objcopy --strip-debug --strip-unneeded --add-gnu-debuglink=debug/cart_asan.debug cart_asan stripped/cart_asan

# AddressSanitizer, not PIE: the offsets it prints are the addresses.
gcc -g -O2 $MAP -fsanitize=address -fno-omit-frame-pointer -no-pie -o bin/cart_asan_nopie $SRCS
ASAN_OPTIONS=symbolize=0 ./bin/cart_asan_nopie >/dev/null 2>reports/asan_nopie.txt || true

# No sanitizer: glibc's backtrace_symbols_fd ("negative" makes fatal()
# print one), and the same code with other debug information.
gcc -g -O2 $MAP -o bin/cart_bt $SRCS
./bin/cart_bt negative >/dev/null 2>reports/bt.txt || true
gcc -g -O2 $MAP -gz=zlib -o bin/cart_gz $SRCS
objcopy --compress-debug-sections=zstd bin/cart_bt bin/cart_zstd
gcc -gdwarf-4 -O2 $MAP -o bin/cart_dwarf4 $SRCS
clang -g -O2 $MAP -o bin/cart_clang $SRCS

# References: llvm-symbolizer on every 5th byte of the program's
# functions and on the reports' offsets (llvm-symbolizer 14 cannot read
# zstd sections: cart_zstd is cart_bt's code, checked against cart_bt's).
python3 mkref.py debug/cart_asan.debug $(grep -o 'cart_asan+0x[0-9a-f]*' reports/asan.txt | cut -d+ -f2) >ref/cart_asan.txt
python3 mkref.py bin/cart_asan_nopie $(grep -o 'cart_asan_nopie+0x[0-9a-f]*' reports/asan_nopie.txt | cut -d+ -f2) >ref/cart_asan_nopie.txt
python3 mkref.py bin/cart_bt $(grep -o 'cart_bt(+0x[0-9a-f]*' reports/bt.txt | cut -d+ -f2 | while read o; do printf '0x%x\n' $((o - 1)); done) >ref/cart_bt.txt
for b in cart_gz cart_dwarf4 cart_clang; do python3 mkref.py bin/$b >ref/$b.txt; done
rm cart_asan
