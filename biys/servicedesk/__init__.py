"""The technical service desk: requests and faults of every municipal unit, from intake to a signed service form.

Mersin md. 6/ı, 7/1-r,s,ş, 7/3-d,e,g; Nizip md. 7/12-13, 12/1-2, 4, 7-8, 24, 48.
"""
