fn main() -> std::process::ExitCode {
    samar::cli::main()
}
