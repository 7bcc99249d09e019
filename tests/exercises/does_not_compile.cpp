// Not C++ on purpose, for the grader's own test: a reader's file with a mistake
// must be refused with the compiler's words, exit 2.
int main() {
  return undeclared_name;
}
