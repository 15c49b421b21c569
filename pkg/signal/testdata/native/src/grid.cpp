// C++ use after free through templates, namespaces, an anonymous namespace
// and a lambda: a reference into a vector dangles after the vector grows.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace geo {

template <typename T>
class Grid {
public:
	explicit Grid(std::size_t w) : w_(w) {}
	void add_row(const std::vector<T> &row) { rows_.push_back(row); } // @free
	std::vector<T> &row(std::size_t r) { return rows_[r]; }
	std::size_t rows() const { return rows_.size(); }

private:
	std::size_t w_;
	std::vector<std::vector<T>> rows_;
};

} // namespace geo

namespace {

struct Summer {
	long total = 0;
	void operator()(const std::vector<int> &row)
	{
		for (int v : row) // @crash
			total += v;
	}
};

long grow_and_sum(geo::Grid<int> &g)
{
	const std::vector<int> &first = g.row(0);
	auto grow = [&g](int n) {
		for (int i = 0; i < n; i++)
			g.add_row(std::vector<int>(4, i)); // @lambda
	};
	grow(8);
	Summer s;
	s(first);
	return s.total;
}

} // namespace

int main()
{
	geo::Grid<int> g(4);
	g.add_row(std::vector<int>(4, 1));
	std::printf("%ld\n", grow_and_sum(g));
	return 0;
}
