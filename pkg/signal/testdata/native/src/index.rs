// A panic on an out-of-bounds index in a method of a generic struct.
struct Ring<T> {
    items: Vec<T>,
    head: usize,
}

impl<T: Copy> Ring<T> {
    fn new(items: Vec<T>) -> Self {
        Ring { items, head: 0 }
    }

    fn next(&mut self) -> T {
        let v = self.items[self.head]; // @crash
        self.head += 1;
        v
    }
}

fn main() {
    let mut r = Ring::new(vec![1, 2, 3]);
    let mut sum = 0;
    for _ in 0..4 {
        sum += r.next();
    }
    println!("{}", sum);
}
