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
		{FormatPython, "/venv/lib/python3.12/site-packages/django/core.py", "f", "", false},
		{FormatPython, "/usr/lib/python3/dist-packages/yaml/x.py", "f", "", false},
		{FormatPython, "<frozen importlib._bootstrap>", "_call", "", false},
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
		{FormatRuby, "app/models/order.rb", "Order#total", "", true},
		{FormatRuby, "/usr/local/bundle/gems/rack-3.0/lib/rack.rb", "call", "", false},
		{FormatRuby, "<internal:kernel>", "Kernel#loop", "", false},
		{FormatRuby, "/usr/local/lib/ruby/3.4.0/socket.rb", "Socket.tcp", "", false},
		{FormatDotNet, `C:\build\Shop\A.cs`, "Shop.A.F", "Shop.A", true},
		{FormatDotNet, "", "System.Int32.Parse", "System.Int32", false},
		{FormatDotNet, "", "Microsoft.AspNetCore.X.Y", "Microsoft.AspNetCore.X", false},
		{FormatDotNet, `C:\build\vendor\Lib\A.cs`, "Lib.A.F", "Lib.A", false},
	}
	for _, tt := range tests {
		got := IsInApp(tt.format, tt.file, tt.function, tt.module)
		if got != tt.want {
			t.Errorf("IsInApp(%q, %q, %q, %q): got %v, want %v", tt.format, tt.file, tt.function, tt.module, got, tt.want)
		}
	}
}
