// A panic in a named worker thread, from an explicit panic! with a message.
use std::thread;

fn check_balance(balance: i64) {
    if balance < 0 {
        panic!("negative balance: {}", balance); // @crash
    }
}

fn settle(accounts: Vec<i64>) -> i64 {
    accounts.into_iter().map(|b| { check_balance(b); b }).sum()
}

fn main() {
    let h = thread::Builder::new()
        .name("settlement".into())
        .spawn(|| settle(vec![10, 20, -5]))
        .unwrap();
    let r = h.join();
    println!("joined: {}", r.is_ok());
}
