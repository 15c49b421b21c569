package signal

import "testing"

func TestIsInApp(t *testing.T) {
	tests := []struct {
		format, file, function, module string
		want                           bool
	}{
		{FormatGo, "/home/ci/src/shop/main.go", "main.main", "", true},
		{FormatGo, "/usr/local/go/src/runtime/panic.go", "panic", "", false},
		{FormatGo, "/usr/lib/go-1.22/src/net/http/server.go", "net/http.(*conn).serve", "", false},
		{FormatGo, "runtime/panic.go", "", "", false},
		{FormatGo, "net/http/server.go", "net/http.HandlerFunc.ServeHTTP", "", false},
		{FormatGo, "github.com/acme/shop/main.go", "main.handle", "", true},
		{FormatGo, "github.com/acme/shop/internal/x.go", "github.com/acme/shop/internal.F", "", true},
		{FormatGo, "github.com/go-chi/chi/v5@v5.0.12/mux.go", "github.com/go-chi/chi/v5.(*Mux).routeHTTP", "", false},
		{FormatGo, "/root/go/pkg/mod/github.com/x/y@v1.0.0/y.go", "github.com/x/y.F", "", false},
		{FormatGo, "/build/vendor/github.com/rs/cors/cors.go", "github.com/rs/cors.F", "", false},
		{FormatGo, "/build/internal/x.go", "myapp/internal.F", "", true},
		{FormatPython, "/srv/app/models.py", "f", "", true},
		{FormatPython, "/usr/lib/python3.11/json/decoder.py", "decode", "", false},
		{FormatPython, "/usr/lib64/python3.11/pathlib.py", "rmdir", "", false},
		{FormatPython, "/venv/lib/python3.12/site-packages/django/core.py", "f", "", false},
		{FormatPython, "/usr/lib/python3/dist-packages/yaml/x.py", "f", "", false},
		{FormatPython, "<frozen importlib._bootstrap>", "_call", "", false},
		{FormatPython, `C:\Python311\Lib\json\decoder.py`, "decode", "", false},
		{FormatPython, `C:\Users\ann\AppData\Local\Programs\Python\Python312\Lib\pathlib.py`, "rmdir", "", false},
		{FormatPython, `C:\src\app\lib\report.py`, "total", "", true},
		{FormatJava, "com/acme/A.java", "com.acme.A.f", "com.acme.A", true},
		{FormatJava, "java/lang/Thread.java", "java.lang.Thread.run", "java.lang.Thread", false},
		{FormatJava, "", "jdk.internal.reflect.X.invoke0", "jdk.internal.reflect.X", false},
		{FormatJava, "kotlin/collections/C.kt", "kotlin.collections.C.f", "kotlin.collections.C", false},
		{FormatJava, "org/springframework/x/Y.java", "org.springframework.x.Y.f", "org.springframework.x.Y", false},
		{FormatJavaScript, "/app/src/x.js", "f", "", true},
		{FormatJavaScript, "node:internal/modules/cjs/loader", "Module._compile", "", false},
		{FormatJavaScript, "internal/process/task_queues.js", "f", "", false},
		{FormatJavaScript, "/app/node_modules/express/lib/router.js", "f", "", false},
		{FormatJavaScript, "<anonymous>", "Array.map", "", false},
		{FormatJavaScript, "index 1", "Promise.all", "", false},
		{FormatGo, "/nix/store/abc-go-1.23.3/share/go/src/runtime/panic.go", "panic", "", false},
		{FormatGo, "/opt/hostedtoolcache/go/1.22.1/x64/src/runtime/panic.go", "panic", "", false},
		{FormatGo, "/home/u/sdk/go1.22.1/src/runtime/panic.go", "panic", "", false},
		{FormatGDB, "malloc.c", "malloc_printerr", "", false},
		{FormatGDB, "malloc.c", "_int_free", "", false},
		{FormatGDB, "src/malloc.c", "je_malloc_default", "", true},
		{FormatGDB, "arena.c", "arena_alloc", "", true}, // a project's own, printed without its folder
		{FormatLSan, "src/../third-party/speedtest.c", "speedtest_run", "", false},
		{FormatGDB, "/build/app/thirdparty/zlib/inflate.c", "inflate", "", false},
		{FormatGDB, "malloc.c", "pool_malloc", "", true},
		{FormatASan, "", "BaseThreadInitThunk", `C:\Windows\System32\KERNEL32.DLL`, false},
		{FormatASan, "", "RtlUserThreadStart", "", false},
		// Windows' libraries in any case, and the C++ runtime an installer
		// put beside the program, are the system's in every native format.
		{FormatGDB, "", "BaseThreadInitThunk", "KERNEL32.DLL", false},
		{FormatGDB, "", "_CxxThrowException", `D:\Shop\bin\VCRUNTIME140.dll`, false},
		{FormatGDB, "", "CartTotal", `D:\Shop\bin\shop.exe`, true},
		{FormatASan, "", "start", "dyld", false},
		{FormatRust, "", "_rust_begin_unwind", "", false},
		{FormatRuby, "app/models/order.rb", "Order#total", "", true},
		{FormatRuby, "/usr/local/bundle/gems/rack-3.0/lib/rack.rb", "call", "", false},
		{FormatRuby, "<internal:kernel>", "Kernel#loop", "", false},
		{FormatRuby, "/usr/local/lib/ruby/3.4.0/socket.rb", "Socket.tcp", "", false},
		{FormatDotNet, `C:\build\Shop\A.cs`, "Shop.A.F", "Shop.A", true},
		{FormatDotNet, "", "System.Int32.Parse", "System.Int32", false},
		{FormatDotNet, "", "Microsoft.AspNetCore.X.Y", "Microsoft.AspNetCore.X", false},
		{FormatDotNet, `C:\build\vendor\Lib\A.cs`, "Lib.A.F", "Lib.A", false},
		{FormatPHP, "/var/www/app/src/Cart.php", `App\Cart->total`, "", true},
		{FormatPHP, "/var/www/app/public/index.php", "{main}", "", true},
		{FormatPHP, "src/Cart.php", `App\Cart::total`, "", true},
		{FormatPHP, "/var/www/app/vendor/laravel/framework/src/Illuminate/Pipeline/Pipeline.php", `Illuminate\Pipeline\Pipeline->then`, "", false},
		{FormatPHP, "vendor/symfony/http-kernel/HttpKernel.php", `Symfony\Component\HttpKernel\HttpKernel->handle`, "", false},
		{FormatPHP, `C:\xampp\htdocs\shop\vendor\doctrine\orm\src\EntityManager.php`, `Doctrine\ORM\EntityManager->flush`, "", false},
		{FormatPHP, "/home/dev/laminas-mvc/src/Application.php", `Laminas\Mvc\Application->run`, "", true}, // the framework's own repository
		{FormatPHP, "[internal function]", "array_map", "", false},
		{FormatPHP, "[internal]", "array_map", "", false}, // Sentry's PHP SDK
		{FormatPHP, "phar:///usr/local/bin/phpunit/phpunit/Framework/TestCase.php", `PHPUnit\Framework\TestCase->runTest`, "", false},
		{FormatPHP, "/usr/share/php/PEAR.php", "PEAR->raiseError", "", false},
		{FormatPHP, "", `App\Cart->total`, "", true},
		{FormatPHP, "", "PDOStatement->execute", "", false},
		{FormatPHP, "", "array_map", "", false},
		{FormatPHP, "", `Illuminate\Database\Connection->run`, "", false},
		{FormatPHP, "", `\Doctrine\DBAL\Connection->executeQuery`, "", false},
		{FormatASan, "/home/ci/app/src/uaf.c", "session_id", "", true},
		{FormatASan, "../lib/ring.c", "ring_push", "", true},
		{FormatASan, "src/lib/x.c", "x", "", true},
		{FormatASan, "/usr/include/c++/12/bits/stl_vector.h", "std::vector<int>::at", "", false},
		{FormatASan, "/usr/bin/../lib/gcc/x86_64-linux-gnu/12/../../../../include/c++/12/bits/stl_vector.h", "begin", "", false},
		{FormatASan, "../../../../src/libsanitizer/asan/asan_malloc_linux.cpp", "__interceptor_free", "", false},
		{FormatASan, "/llvm-project/compiler-rt/lib/asan/asan_malloc_linux.cpp", "malloc", "", false},
		{FormatASan, "asan_rtl.cpp", "__asan::Report", "", false},
		{FormatASan, "csu/../sysdeps/nptl/libc_start_call_main.h", "__libc_start_call_main", "", false},
		{FormatASan, "string/./string/strdup.c", "strdup", "", false},
		{FormatASan, "", "_start", "/tmp/a.out", false},
		{FormatASan, "", "handler", "/tmp/a.out", true},
		{FormatASan, "", "", "/tmp/a.out", false},
		{FormatASan, "/src/third_party/zlib/inflate.c", "inflate", "", false},
		{FormatGDB, "./nptl/pthread_kill.c", "__pthread_kill_implementation", "", false},
		{FormatGDB, "./stdlib/abort.c", "__GI_abort", "", false},
		{FormatGDB, "../sysdeps/posix/raise.c", "__GI_raise", "", false},
		{FormatGDB, "", "", "/lib/x86_64-linux-gnu/libc.so.6", false},
		{FormatGDB, "", "std::terminate", "/lib/x86_64-linux-gnu/libstdc++.so.6", false},
		{FormatGDB, "null_deref.c", "config_port", "", true},
		{FormatLLDB, "strlen-evex.S", "__strlen_evex", "libc.so.6", false},
		{FormatLLDB, "stl_vector.h", "std::vector<int, std::allocator<int> >::at", "app", false},
		{FormatValgrind, "vg_replace_malloc.c", "malloc", "", false},
		{FormatValgrind, "pthread_create.c", "create_thread", "", false},
		{FormatValgrind, "", "", "/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so", false},
		{FormatValgrind, "mismatch.cpp", "io::Buffer::~Buffer", "", true},
		{FormatGlibc, "", "store", "./app", true},
		{FormatGlibc, "", "", "/lib/x86_64-linux-gnu/libc.so.6", false},
		{FormatRust, "./src/main.rs", "app::main", "", true},
		{FormatRust, "/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/result.rs", "core::result::unwrap_failed", "", false},
		{FormatRust, "/home/ci/.cargo/registry/src/index.crates.io-6f17d22bba15001f/serde_json-1.0.117/src/de.rs", "serde_json::de::from_str", "", false},
		{FormatRust, "", "core::panicking::panic_fmt", "", false},
		{FormatRust, "", "app::config::load", "", true},
		{FormatRust, "./csu/../sysdeps/nptl/libc_start_call_main.h", "__libc_start_call_main", "", false},
		{FormatANR, "com/example/shop/cart/CartRepository.kt", "com.example.shop.cart.CartRepository.load", "com.example.shop.cart.CartRepository", true},
		{FormatANR, "android/os/Looper.java", "android.os.Looper.loop", "android.os.Looper", false},
		{FormatANR, "", "art::DumpNativeStack", "/apex/com.android.art/lib64/libart.so", false},
		{FormatANR, "", "shopdb::Store::compact", "/data/app/~~Qx1w==/com.example.shop-8fZ==/lib/arm64/libshopdb.so", true},
		{FormatKernel, "net/tern/af_tern.c", "tern_sock_sendmsg", "", true},
		{FormatKernel, "", "ringbuf_probe", "ringbuf", true},
		{FormatKernel, "mm/kasan/report.c", "kasan_report", "", false},
		{FormatKernel, "", "dump_stack_lvl", "", false},
		{FormatKernel, "", "entry_SYSCALL_64_after_hwframe", "", false},
		{FormatKernel, "mm/slub.c", "kfree", "", false},
		{FormatKernel, "", "panic", "", false},
		{FormatKernel, "", "panic_notifier_call", "", true},
		{FormatDart, "shop/lib/models/cart_model.dart", "CartModel.total", "shop", true},
		{FormatDart, "package:shop/models/cart_model.dart", "CartModel.total", "", true},
		{FormatDart, "/home/u/shop/bin/main.dart", "main", "", true},
		{FormatDart, "test/cart_test.dart", "main.<fn>", "", true},
		{FormatDart, "dart:async/zone.dart", "_rootRun", "dart:async", false},
		{FormatDart, "dart:collection", "ListBase.first", "", false},
		{FormatDart, "org-dartlang-sdk:///sdk/lib/async/zone.dart", "_rootRun", "", false},
		{FormatDart, "flutter/lib/src/widgets/framework.dart", "StatefulElement.build", "flutter", false},
		{FormatDart, "package:flutter_test/src/widget_tester.dart", "testWidgets", "", false},
		{FormatDart, "provider/lib/src/provider.dart", "Provider.of", "provider", false},
		{FormatDart, "dio/lib/src/dio_mixin.dart", "DioMixin.fetch", "dio", false},
		{FormatDart, "/home/u/.pub-cache/hosted/pub.dev/equatable-2.0.5/lib/src/equatable.dart", "Equatable.==", "", false},
		{FormatDart, `C:\Users\u\AppData\Local\Pub\Cache\hosted\pub.dev\x-1.0.0\lib\x.dart`, "X.y", "", false},
		{FormatDart, "/opt/flutter/packages/flutter/lib/src/widgets/framework.dart", "Element.rebuild", "", false},
		{FormatDart, "/opt/flutter/bin/cache/dart-sdk/lib/async/zone.dart", "_rootRun", "", false},
		{"flutter", "shop/lib/models/cart_model.dart", "CartModel.total", "shop", true},
	}
	for _, tt := range tests {
		got := IsInApp(tt.format, tt.file, tt.function, tt.module)
		if got != tt.want {
			t.Errorf("IsInApp(%q, %q, %q, %q): got %v, want %v", tt.format, tt.file, tt.function, tt.module, got, tt.want)
		}
	}
}

func TestInstalledFunctionFrame(t *testing.T) {
	for _, tc := range []struct {
		f    Frame
		want bool
	}{
		{Frame{Function: "bgp_path_info_free", Module: "/usr/lib/frr/bgpd"}, true},
		{Frame{Function: "CartTotal", Module: `C:\Program Files\Shop\shop.exe`}, true},
		{Frame{Function: "bgp_path_info_free", Module: "bgpd"}, false}, // no path: not installed
		{Frame{Function: "bgp_path_info_free", File: "bgpd/bgp_route.c", Module: "/usr/lib/frr/bgpd"}, false},
		{Frame{Function: "malloc", Module: "/usr/lib/frr/bgpd"}, false},
		{Frame{Function: "__libc_start_main", Module: "/lib/x86_64-linux-gnu/libc.so.6"}, false},
		{Frame{Function: "BaseThreadInitThunk", Module: `C:\Windows\System32\KERNEL32.DLL`}, false},
		{Frame{Function: "RtlUserThreadStart", Module: `C:\Windows\SYSTEM32\ntdll.dll`}, false},
		{Frame{Function: "__CxxFrameHandler4", Module: `C:\Program Files\Shop\VCRUNTIME140_1.dll`}, false},
		{Frame{Function: "std_exception_copy", Module: `C:\Program Files\Shop\ucrtbase.dll`}, false},
	} {
		if got := InstalledFunctionFrame(tc.f); got != tc.want {
			t.Errorf("InstalledFunctionFrame(%+v) = %v, want %v", tc.f, got, tc.want)
		}
	}
}
