// This input is Latin-1, not UTF-8: café.
module {
}
