"""The stacks the load benchmark measures beside the full application (issue 21): each answers
the same trivial JSON, so the difference between two of them is the cost of what one adds.

    bench.stacks.bare_asgi:application     granian and a bare ASGI callable: the server alone
    bench.stacks.bare_django:application   Django with no middleware and one view, through the
                                           same ASGI-to-WSGI bridge as momentum.asgi
"""
