#!/bin/sh
# Builds the Mach-O test files from ../src, run in a scratch folder holding
# src/ (a copy of ../src) and sdk/ (a copy of ./sdk: a few declarations
# standing in for the macOS SDK, which Linux lacks). The debug information
# names /build/shop, as the ELF tests'.
set -eu
MAP="-fdebug-prefix-map=$PWD=/build/shop"
mkdir -p arm64 x86_64 out
for arch in arm64 x86_64; do
	for f in main cart fatal; do
		clang -target $arch-apple-macos11 -g -O2 $MAP -nostdlibinc -isystem sdk -c src/$f.c -o $arch/$f.o
	done
	ld64.lld-14 -arch $arch -platform_version macos 11.0 11.0 -undefined dynamic_lookup -e _main \
		-o $arch/Shop $arch/main.o $arch/cart.o $arch/fatal.o
done
# The arm64 program's dSYM, a universal program of both, and an object
# file (DWARF at vmaddr 0, no UUID).
dsymutil arm64/Shop -o out/Shop.dSYM
llvm-lipo-14 -create arm64/Shop x86_64/Shop -output out/Shop_universal
cp arm64/cart.o out/cart.o
# References.
for a in 0x100000870 0x100000874 0x100000878 0x1000008a8 0x1000008ab 0x1000008ac 0x1000006a7; do
	echo "$a"
	llvm-symbolizer --obj=out/Shop.dSYM/Contents/Resources/DWARF/Shop $a
done >out/ref.txt
