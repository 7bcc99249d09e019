"""The article's first step, in Python: add the integers of a range one by one.

Written for this tutorial as the side-by-side partner of chapter 1's C++ (run it
with python3); the article's own code adds into a shared value instead, which
chapter 2 ports.
"""


#! [sumcalc]
def sumcalc(myrange):
    total = 0
    for i in myrange:
        total += i
    return total
#! [sumcalc]


if __name__ == "__main__":
    print(f"sumcalc(range(1, 21)) = {sumcalc(range(1, 21))}")
