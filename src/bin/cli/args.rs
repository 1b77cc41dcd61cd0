//! Parsers of flag values both binaries share: numbers kept as typed, byte sizes, thread counts,
//! shards. Pure functions of the text, so `fuzz/fuzz_targets/cli_args.rs` can feed them anything.

use std::fmt;
use std::str::FromStr;

/// A number as typed on the command line, beside its value, so that a message quotes what was
/// typed (`1e39`) rather than what it became (`inf` as an `f32`).
#[derive(Debug, Clone, PartialEq)]
pub struct Typed<T> {
    pub value: T,
    pub text: String,
}

impl<T: fmt::Display> From<T> for Typed<T> {
    fn from(value: T) -> Self {
        Typed {
            text: value.to_string(),
            value,
        }
    }
}

impl<T> fmt::Display for Typed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A number, kept as typed.
pub fn typed<T: FromStr>(s: &str) -> Result<Typed<T>, String>
where
    T::Err: fmt::Display,
{
    let value = s
        .trim()
        .parse()
        .map_err(|e| format!("{s:?} is not a number: {e}"))?;
    Ok(Typed {
        value,
        text: s.trim().to_owned(),
    })
}

/// A byte count: a whole number, optionally followed by `K`, `M`, `G` or `T` (powers of 1024;
/// `KB`, `KiB` and `k` mean the same), at least 1.
pub fn byte_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let (number, unit) = t.split_at(digits);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("{s:?} is not a size: write a whole number of bytes, or one with K, M, G or T, such as 64MiB"))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        other => return Err(format!("{other:?} is not a unit of size: use K, M, G or T")),
    };
    let bytes = number
        .checked_mul(1 << shift)
        .ok_or_else(|| format!("{s:?} is more bytes than can be counted"))?;
    if bytes == 0 {
        return Err("the size must be at least 1 byte".into());
    }
    Ok(bytes)
}

/// A worker thread count: a whole number, at least 1.
pub fn thread_count(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(0) => Err("at least one thread is needed".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("{s:?} is not a whole number")),
    }
}

/// The threads worth starting when `asked` were asked for on a machine with `available` cores:
/// at most four per core (more only wait for each other and cost time to start), with the
/// warning to print when the request was cut.
pub fn threads_to_use(asked: usize, available: usize) -> (usize, Option<String>) {
    let most = available.max(1).saturating_mul(4);
    if asked <= most {
        return (asked, None);
    }
    let warning = format!(
        "--threads {asked} is more than this machine can use ({available} cores, at most 4 \
         threads each); using {most}"
    );
    (most, Some(warning))
}

/// A shard written `I/N`: 0 <= I < N.
#[allow(dead_code)] // chaff-train takes no --shard
pub fn shard(s: &str) -> Result<(usize, usize), String> {
    let (i, n) = s
        .split_once('/')
        .ok_or("write the shard as I/N, for example 0/4")?;
    let i: usize = i
        .trim()
        .parse()
        .map_err(|_| format!("shard index {i:?} is not a whole number"))?;
    let n: usize = n
        .trim()
        .parse()
        .map_err(|_| format!("shard count {n:?} is not a whole number"))?;
    if n == 0 || i >= n {
        return Err(format!("shard {i}/{n}: need 0 <= I < N"));
    }
    Ok((i, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_text() {
        let t: Typed<f32> = typed(" 1e39").unwrap();
        assert_eq!((t.value, t.text.as_str()), (f32::INFINITY, "1e39"));
        assert!(typed::<f32>("x").is_err());
    }

    #[test]
    fn sizes() {
        assert_eq!(byte_size("1GiB"), Ok(1 << 30));
        assert_eq!(byte_size("64M"), Ok(64 << 20));
        assert_eq!(byte_size("10"), Ok(10));
        assert_eq!(byte_size("2 kb"), Ok(2048));
        assert!(byte_size("0").is_err());
        assert!(byte_size("1.5G").is_err());
        assert!(byte_size("99999999999T").is_err());
        assert!(byte_size("").is_err());
    }

    #[test]
    fn threads_are_clamped_to_four_per_core() {
        assert_eq!(threads_to_use(8, 2), (8, None));
        let (n, warning) = threads_to_use(100_000, 2);
        assert_eq!(n, 8);
        assert!(warning.unwrap().contains("--threads 100000"));
        assert!(thread_count("0").is_err());
    }

    #[test]
    fn shards() {
        assert_eq!(shard("1/3"), Ok((1, 3)));
        assert!(shard("3/3").is_err() && shard("0/0").is_err() && shard("x").is_err());
    }
}
