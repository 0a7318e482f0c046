//! The four kinds of schema finding, each reported by its own rule.

/// What kind of schema problem a finding is: each is reported by its own rule (SCH001-SCH004).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// SCH001.
    UnknownKey,
    /// SCH002.
    WrongType,
    /// SCH003.
    InvalidValue,
    /// SCH004.
    MissingKey,
}

impl Problem {
    /// The code of the rule that reports this problem.
    pub fn code(self) -> &'static str {
        match self {
            Problem::UnknownKey => "SCH001",
            Problem::WrongType => "SCH002",
            Problem::InvalidValue => "SCH003",
            Problem::MissingKey => "SCH004",
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}
