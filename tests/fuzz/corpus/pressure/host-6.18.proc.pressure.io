some avg10=0.43 avg60=0.41 avg300=0.13 total=5277228
full avg10=0.31 avg60=0.24 avg300=0.07 total=4665852
