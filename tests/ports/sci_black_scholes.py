"""Black-Scholes call prices and their Greeks by autograd: the normal CDF written with
`autograd.scipy.special.erf`, delta, gamma and vega by `elementwise_grad` over a vector of
stock prices and volatilities.

Source: an autograd option-pricing script on public GitHub (call_price with daily
volatility, elementwise_grad; the search index did not name its repository). Only the
import lines name chainrule.autograd."""
from chainrule.autograd import elementwise_grad

import chainrule.autograd.numpy as anp
import chainrule.autograd.scipy.special as sp


def normal_cdf(x):
    return (1 + sp.erf(x / anp.sqrt(2))) / 2


def call_price(strike_price, days_to_expiry, stock_price, interest_rate, volatility):
    # Convert annualized volatility in percent to daily vol
    volatility = volatility / anp.sqrt(365.25) / 100
    sqrt_time = anp.sqrt(days_to_expiry)
    d1 = (anp.log(stock_price / strike_price)
          + (interest_rate + anp.square(volatility) / 2) * days_to_expiry) / (volatility * sqrt_time)
    d2 = d1 - volatility * sqrt_time
    return (stock_price * normal_cdf(d1)
            - strike_price * anp.exp(-interest_rate * days_to_expiry) * normal_cdf(d2))


delta = elementwise_grad(call_price, 2)
gamma = elementwise_grad(delta, 2)
vega = elementwise_grad(call_price, 4)
theta = elementwise_grad(call_price, 1)


def main():
    stock = anp.linspace(80.0, 120.0, 9)
    args = (100.0, 30.0, stock, 0.0001, 25.0)
    return (call_price(*args), delta(*args), gamma(*args),
            vega(100.0, 30.0, stock, 0.0001, anp.full(9, 25.0)), theta(100.0, 30.0, stock, 0.0001, 25.0))
