// Mismatched allocation and deallocation: a buffer from new[] released
// with free().
#include <cstdio>
#include <cstdlib>

namespace io {

class Buffer {
public:
	explicit Buffer(std::size_t n) : data_(new char[n]), n_(n) {} // @alloc
	~Buffer() { std::free(data_); } // @crash
	std::size_t size() const { return n_; }

private:
	char *data_;
	std::size_t n_;
};

} // namespace io

int main()
{
	io::Buffer b(32);
	std::printf("%zu\n", b.size());
	return 0;
}
