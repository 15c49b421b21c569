// A panic on Result::unwrap: parse_port unwraps a bad number.
mod config {
    pub fn parse_port(s: &str) -> u16 {
        s.trim().parse().unwrap() // @crash
    }

    pub fn load(lines: &[&str]) -> Vec<u16> {
        lines.iter().map(|l| parse_port(l)).collect() // @closure
    }
}

fn main() {
    let ports = config::load(&["80", "443", "eighty"]);
    println!("{:?}", ports);
}
