// An uncaught std::out_of_range thrown by std::vector::at inside a lambda
// called through std::for_each.
#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <vector>

namespace shop {

struct Order {
	std::vector<int> items;
	int item(std::size_t i) const { return items.at(i); } // @crash
};

int total(const std::vector<Order> &orders, std::size_t idx)
{
	int sum = 0;
	std::for_each(orders.begin(), orders.end(), [&](const Order &o) {
		sum += o.item(idx); // @lambda
	});
	return sum;
}

} // namespace shop

int main(int argc, char **)
{
	std::vector<shop::Order> orders{{{1, 2, 3}}, {{4, 5}}};
	std::printf("%d\n", shop::total(orders, static_cast<std::size_t>(argc + 1)));
	return 0;
}
